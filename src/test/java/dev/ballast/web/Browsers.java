package dev.ballast.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The two browsers an operator uses: Debian's chromium at 1440x900, and the same chromium emulating a
 * 390x844 phone (device metrics and touch, so a page without a viewport tag renders at desktop width
 * scaled down, as on a real phone). {@link #look} opens a page in both, saves a screenshot of each to
 * target/screenshots and scans each with axe-core, failing on any serious or critical violation.
 */
final class Browsers implements AutoCloseable {

    static final Path SHOTS = Path.of("target", "screenshots");
    private static final List<String> BLOCKING = List.of("serious", "critical");

    final WebDriver desktop;
    final WebDriver phone;
    private final String axe;

    Browsers() throws IOException {
        Files.createDirectories(SHOTS);
        desktop = chromium(options().addArguments("--window-size=1440,900"));
        ChromeOptions phoneOptions = options().addArguments("--window-size=390,844");
        phoneOptions.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
                Map.of("width", 390, "height", 844, "pixelRatio", 2.0, "touch", true)));
        phone = chromium(phoneOptions);
        try (InputStream in = Browsers.class.getResourceAsStream("/axe.min.js")) {
            axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static ChromeOptions options() {
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium")
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage");
        // The console, to see what the Content-Security-Policy refused.
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        return options;
    }

    private static WebDriver chromium(ChromeOptions options) {
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new java.io.File("/usr/bin/chromedriver"))
                .build(), options);
    }

    /**
     * A wait that outlives a page being replaced under it: a form that submits, or a live update that re-renders a
     * row, can swap an element between the wait finding it and reading it (a fresh-clone CI run failed so once).
     */
    static WebDriverWait waitOn(WebDriver browser) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** Logs both browsers in through the login page, as a person does. */
    void logIn(String base, String user, String password) {
        for (WebDriver browser : List.of(desktop, phone)) {
            browser.get(base + "login");
            browser.findElement(By.id("name")).sendKeys(user);
            browser.findElement(By.id("password")).sendKeys(password);
            browser.findElement(By.id("login-button")).click();
            waitOn(browser).until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Fleet"));
        }
    }

    /**
     * Opens {@code url} in both browsers, waits until {@code ready} holds in each, then screenshots and
     * scans both. On the phone the page must fit its 390 px (tables scroll inside their box) and every
     * button and field must be a 44 px tap target.
     */
    void look(String url, String name, Function<WebDriver, Boolean> ready) throws IOException {
        for (WebDriver browser : List.of(desktop, phone)) {
            if (url != null) {
                browser.get(url);
            }
            try {
                waitOn(browser).until(d -> ready.apply(d));
            } catch (org.openqa.selenium.TimeoutException e) {
                shoot(browser, name + "-never-ready");
                throw new AssertionError(name + " never became ready; the page said: " + browser.findElement(By.tagName("body")).getText(), e);
            }
            boolean isPhone = browser == phone;
            shoot(browser, name + (isPhone ? "-phone" : "-desktop"));
            scan(browser, name + (isPhone ? " at 390 px" : " at 1440 px"));
            if (isPhone) {
                JavascriptExecutor js = (JavascriptExecutor) browser;
                assertThat(((Number) js.executeScript("return window.innerWidth")).intValue()).as(name + ": layout width on a phone")
                        .isEqualTo(390);
                assertThat(((Number) js.executeScript("return document.documentElement.scrollWidth")).intValue())
                        .as(name + ": the page is no wider than the phone").isLessThanOrEqualTo(390);
                assertThat((List<?>) js.executeScript("return [...document.querySelectorAll('button, select, input:not([type=checkbox])')]"
                        + ".filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44).map(e => e.outerHTML.slice(0, 80))"))
                        .as(name + ": tap targets under 44 px").isEmpty();
            }
        }
    }

    static void shoot(WebDriver browser, String name) throws IOException {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /** Runs axe-core on the page as it is now; fails on serious or critical violations, and if axe evaluated no rule. */
    @SuppressWarnings("unchecked")
    void scan(WebDriver browser, String what) {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe === 'object'"))) {
            js.executeScript(axe);
        }
        Map<String, Object> result = (Map<String, Object>) js.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }).then(r => done({
                  evaluated: r.passes.length + r.violations.length + r.incomplete.length,
                  blocking: r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                    .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))
                })).catch(e => done({ evaluated: 0, blocking: ['axe failed: ' + e] }));
                """);
        assertThat(((Number) result.get("evaluated")).intValue()).as(what + ": rules axe evaluated").isPositive();
        assertThat((List<String>) result.get("blocking")).as(what + ": " + BLOCKING + " accessibility violations").isEmpty();
    }

    /** What the Content-Security-Policy refused in either browser since the last call: should be nothing. */
    List<String> refusedByPolicy() {
        return List.of(desktop, phone).stream().flatMap(b -> b.manage().logs().get(LogType.BROWSER).getAll().stream())
                .map(LogEntry::getMessage).filter(message -> message.contains("Content Security Policy")).toList();
    }

    @Override
    public void close() {
        desktop.quit();
        phone.quit();
    }
}
