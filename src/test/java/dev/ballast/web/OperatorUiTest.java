package dev.ballast.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.ballast.ApplicationTest;
import dev.ballast.lab.HostState;
import dev.ballast.lab.LabFleet;
import dev.ballast.lab.QuarkusLab;
import dev.ballast.rollout.LabFleetFixture;
import io.quarkus.test.common.http.TestHTTPResource;

/**
 * The operator's path through the UI in a real browser (Debian's chromium, driven by Selenium): log in,
 * start a rollout on lab hosts, watch its progress reach 100% without a reload, open the host that
 * failed halfway, press Roll back and see it restored, with nothing refused by the Content-Security-Policy on
 * the way. Screenshots go to target/screenshots.
 */
@ApplicationTest
class OperatorUiTest {

    static final String USER = "ui-operator";
    static final String PASSWORD = "a long enough password";
    static final Path SHOTS = Path.of("target", "screenshots");
    static WebDriver browser;

    /** Once per class: the operator, the plan and the browser. */
    @RegisterExtension
    static final QuarkusLab<LabFleet> lab = QuarkusLab.imported(8).onceStarted(fleet -> {
        LabFleetFixture.savePlan("""
                name: ui-scheduler
                steps:
                  - step: io-scheduler
                    params: {device: nvme0n1, scheduler: none}
                waves: {canary: 1, sizes: [100%], maxWaveFailures: "1"}
                concurrency: 8
                """);
        given().contentType("application/json").body(Map.of("name", USER, "role", "operator", "password", PASSWORD))
                .post("/api/users").then().statusCode(201);
        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium")
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
        // The console, to see what the Content-Security-Policy refused.
        options.setCapability("goog:loggingPrefs", Map.of(org.openqa.selenium.logging.LogType.BROWSER, "ALL"));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new java.io.File("/usr/bin/chromedriver"))
                .build(), options);
    });

    @TestHTTPResource("/")
    URL base;

    @AfterAll
    static void closeTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void logInRollOutWatchItLiveAndRollBackTheHostThatFailed() throws Exception {
        // lab-006 loses its connection at every udev reload: Ballast reconnects to roll the change back, loses
        // the connection again at the rollback's own reload, and the host ends FAILED with its point waiting.
        lab.fleet().host("lab-006").faults().dropOn = "udevadm";
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));

        browser.get(base + "hosts/lab-001");
        wait.until(ExpectedConditions.urlContains("/login"));
        browser.findElement(By.id("name")).sendKeys(USER);
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Fleet"));
        assertThat(browser.findElement(By.id("hosts-total")).getText()).isEqualTo("8");
        shot("1-dashboard");

        new Select(browser.findElement(By.id("plan"))).selectByValue("ui-scheduler");
        browser.findElement(By.id("selector")).clear();
        browser.findElement(By.id("selector")).sendKeys("env=lab");
        browser.findElement(By.id("start-rollout")).click();
        wait.until(ExpectedConditions.urlContains("/rollouts/"));
        ((JavascriptExecutor) browser).executeScript("window.sameDocument = 'never reloaded';");

        wait.until(ExpectedConditions.textToBe(By.id("overall"), "100%"));
        wait.until(d -> !browser.findElement(By.id("state")).getText().equals("RUNNING"));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.sameDocument")).isEqualTo("never reloaded");
        assertThat(browser.findElement(By.id("state")).getText()).isIn("FAILED", "HALTED");
        shot("2-rollout-at-100");

        new Select(browser.findElement(By.id("host-filter"))).selectByValue("failures");
        wait.until(d -> browser.findElements(By.cssSelector("#hosts tr.host")).size() == 1);
        browser.findElement(By.linkText("lab-006")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Host lab-006"));
        HostState host = lab.fleet().host("lab-006").state();
        wait.until(d -> browser.findElements(By.cssSelector("table.points td.state-ROLLBACK_FAILED")).size() == 1);
        shot("3-failed-host");

        lab.fleet().host("lab-006").faults().clear();
        browser.findElement(By.cssSelector("button.rollback")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rollback-message"), "Restored"));
        shot("4-rolled-back");
        assertThat(host.scheduler("nvme0n1")).isEqualTo("mq-deadline");
        assertThat(host.file("/etc/udev/rules.d/99-ballast-scheduler-nvme0n1.rules")).isNull();
        wait.until(d -> browser.findElements(By.cssSelector("table.points td.state-ROLLED_BACK")).size() == 1);
        shot("5-host-after-reload");
        assertThat(browser.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll())
                .extracting(org.openqa.selenium.logging.LogEntry::getMessage)
                .noneMatch(message -> message.contains("Content Security Policy"));
    }

    private static void shot(String name) throws java.io.IOException {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
