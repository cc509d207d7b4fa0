package dev.ballast.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.ballast.ApplicationTest;
import dev.ballast.Poll;
import dev.ballast.lab.LabFleet;
import dev.ballast.lab.QuarkusLab;
import dev.ballast.rollout.LabFleetFixture;
import io.quarkus.test.common.http.TestHTTPResource;

/**
 * The sweeps, plans and audit pages in a real browser at desk and phone size: a sweep's drift over its
 * runs as a chart with axes and its data as a table, the drift by host with filters, Run now followed
 * live, edit and delete; a plan's problems at their lines, decreasing waves refused, the list refreshed
 * after Save; the audit narrowed by its filters. Every page is screenshot and scanned with axe-core at
 * both sizes, and nothing may be refused by the Content-Security-Policy.
 */
@ApplicationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SweepsPlansAuditUiTest {

    static final String USER = "ui-sweeper";
    static final String PASSWORD = "a long enough password";
    static Browsers browsers;
    static WebDriver browser;
    static long sweep;

    /** Once per class: a two-step baseline applied then drifted by hand, the operator, a sweep with two runs behind it, the browsers logged in. */
    @RegisterExtension
    static final QuarkusLab<LabFleet> lab = QuarkusLab.imported(6).onceStarted(fleet -> {
        LabFleetFixture.savePlan("""
                name: ui-baseline
                steps:
                  - step: io-scheduler
                    params: {device: nvme0n1, scheduler: none}
                  - step: hugepages
                    params: {count: "256"}
                waves: {canary: 1, sizes: [100%]}
                """);
        given().contentType("application/json").body(Map.of("name", USER, "role", "operator", "password", PASSWORD))
                .post("/api/users").then().statusCode(201);
        long apply = LabFleetFixture.startRollout("ui-baseline", "env=lab", "apply");
        LabFleetFixture.awaitState(apply, Duration.ofSeconds(60), "SUCCEEDED");
        fleet.hosts().forEach(h -> {
            h.state().setScheduler("nvme0n1", "mq-deadline");
            h.state().setHugepages2m(0);
        });
        sweep = given().contentType("application/json").body(Map.of("name", "ui-drift", "cron", "0 0 3 * * ?",
                "selector", "env=lab", "plan", "ui-baseline")).post("/api/sweeps").then().statusCode(201).extract().jsonPath().getLong("id");
        runAndAwait(sweep);
        // The second run: lab-001 and lab-002 drift in both steps, lab-003 in hugepages only, the rest comply.
        fleet.hosts().stream().skip(2).forEach(h -> h.state().setScheduler("nvme0n1", "none"));
        fleet.hosts().stream().skip(3).forEach(h -> h.state().setHugepages2m(256));
        runAndAwait(sweep);
        browsers = new Browsers();
        browser = browsers.desktop;
    });

    @TestHTTPResource("/")
    URL base;

    @AfterAll
    static void closeTheBrowsers() {
        if (browsers != null) {
            browsers.close();
        }
    }

    @Test
    @Order(1)
    void aSweepShowsItsDriftOverRunsAsAChartWithItsDataByHostAndRunsNowLive() throws Exception {
        browsers.logIn(base.toString(), USER, PASSWORD);
        browsers.look(base + "sweeps", "sweeps-with-drift", d -> !d.findElements(By.cssSelector("#sweep-" + sweep + " canvas")).isEmpty());
        JavascriptExecutor js = (JavascriptExecutor) browser;
        assertThat(js.executeScript("return sweeps.charts[arguments[0]].axes.map(a => a.label)", String.valueOf(sweep)))
                .isEqualTo(List.of("Run scheduled for (your time)", "Drifted (count)"));
        assertThat(js.executeScript("return sweeps.charts[arguments[0]].data.slice(1)", String.valueOf(sweep)))
                .as("hosts drifted and facts drifted per run").isEqualTo(List.of(List.of(6L, 3L), List.of(12L, 5L)));
        assertThat(browser.findElement(By.cssSelector("#sweep-" + sweep + " .u-legend")).getText()).contains("Hosts drifted", "Facts drifted");
        WebElement section = browser.findElement(By.id("sweep-" + sweep));
        section.findElement(By.cssSelector("details.runs-table summary")).click();
        assertThat(section.findElements(By.cssSelector("table.runs tr[data-at]")).stream()
                .map(r -> r.findElements(By.tagName("td")).stream().skip(2).map(WebElement::getText).toList()))
                .containsExactly(List.of("DONE", "6", "6", "12"), List.of("DONE", "6", "3", "5"));

        assertThat(hostRows(section)).containsExactly("lab-001", "lab-002", "lab-003");
        assertThat(section.findElement(By.cssSelector("tr[data-host=lab-003] summary")).getText()).isEqualTo("1 fact in hugepages");
        new Select(section.findElement(By.cssSelector(".step-filter"))).selectByVisibleText("io-scheduler");
        assertThat(hostRows(section)).containsExactly("lab-001", "lab-002");
        section.findElement(By.cssSelector(".host-filter")).sendKeys("002");
        assertThat(hostRows(section)).containsExactly("lab-002");
        assertThat(section.findElement(By.cssSelector(".shown")).getText()).isEqualTo("1 hosts, 1 facts match");

        lab.fleet().host("lab-001").state().setScheduler("nvme0n1", "none");
        lab.fleet().host("lab-001").state().setHugepages2m(256);
        js.executeScript("window.sameDocument = 'never reloaded';");
        section.findElement(By.cssSelector("button.run-now")).click();
        WebDriverWait wait = Browsers.waitOn(browser);
        wait.until(d -> d.findElements(By.cssSelector("#sweep-" + sweep + " table.runs tr[data-at]")).size() == 3);
        assertThat(js.executeScript("return window.sameDocument")).isEqualTo("never reloaded");
        assertThat(browser.findElement(By.id("sweep-message")).getText()).endsWith(" DONE, 2 of 6 hosts drifted.");
        assertThat(browser.findElement(By.cssSelector("#sweep-" + sweep + " .last-drifted")).getText()).isEqualTo("2 drifted");
        assertThat(js.executeScript("return sweeps.charts[arguments[0]].data[1]", String.valueOf(sweep))).isEqualTo(List.of(6L, 3L, 2L));
        assertThat(browsers.refusedByPolicy()).isEmpty();
    }

    @Test
    @Order(2)
    void theDashboardFlagsASweepOnlyWhenItsLatestRunFoundNewDrift() throws Exception {
        browser.get(base.toString());
        assertThat(browser.findElement(By.id("attention")).getText()).as("what the last run found, the run before found too")
                .doesNotContain("ui-drift");
        lab.fleet().host("lab-004").state().setScheduler("nvme0n1", "mq-deadline");
        runAndAwait(sweep);
        browsers.look(base.toString(), "dashboard-new-drift", d -> d.findElement(By.id("attention")).getText().contains("ui-drift"));
        WebElement line = browser.findElement(By.cssSelector("#attention li.drift"));
        assertThat(line.getText()).startsWith("Sweep ui-drift: 1 host newly drifted (1 fact) in the run of ")
                .endsWith(", 3 hosts drifted in all");
        line.findElement(By.tagName("a")).click();
        Browsers.waitOn(browser).until(ExpectedConditions.urlContains("/sweeps#sweep-" + sweep));
    }

    @Test
    @Order(3)
    void aSweepIsEditedAndDeletedFromThePage() throws Exception {
        long doomed = given().contentType("application/json").body(Map.of("name", "ui-doomed", "cron", "0 0 4 * * ?",
                "selector", "env=lab", "plan", "ui-baseline")).post("/api/sweeps").then().statusCode(201).extract().jsonPath().getLong("id");
        browser.get(base + "sweeps");
        WebDriverWait wait = Browsers.waitOn(browser);
        browser.findElement(By.cssSelector("#sweep-" + sweep + " button.edit-sweep")).click();
        assertThat(browser.findElement(By.id("sweep-form-title")).getText()).isEqualTo("Edit sweep ui-drift");
        WebElement cron = browser.findElement(By.id("sweep-cron"));
        assertThat(cron.getAttribute("value")).isEqualTo("0 0 3 * * ?");
        cron.clear();
        cron.sendKeys("0 15 4 * * ?");
        browser.findElement(By.id("sweep-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#sweep-" + sweep + " .meta"), "0 15 4 * * ?"));
        given().get("/api/sweeps/" + sweep).then().body("cron", equalTo("0 15 4 * * ?"));

        browser.findElement(By.cssSelector("#sweep-" + doomed + " button.delete-sweep")).click();
        assertThat(wait.until(ExpectedConditions.alertIsPresent()).getText()).isEqualTo("Delete sweep ui-doomed with its schedule and its 0 runs?");
        browser.switchTo().alert().accept();
        wait.until(d -> d.findElements(By.id("sweep-" + doomed)).isEmpty());
        given().get("/api/sweeps/" + doomed).then().statusCode(404);
    }

    @Test
    @Order(4)
    void aPlanShowsEachProblemAtItsLineRefusesDecreasingWavesAndListsWhatIsSaved() throws Exception {
        browsers.look(base + "plans", "plans", d -> !d.findElements(By.cssSelector("#plan-lines span")).isEmpty());
        for (WebDriver each : List.of(browsers.desktop, browsers.phone)) {
            type(each, "name: shrinking\nsteps:\n  - step: no-such-step\nwaves:\n  sizes:\n    - 50%\n    - 10%\n    - 100%\n");
            each.findElement(By.id("validate")).click();
            Browsers.waitOn(each).until(d -> d.findElements(By.cssSelector("#plan-errors li")).size() == 2);
        }
        assertThat(browser.findElements(By.cssSelector("#plan-lines span.err")).stream().map(WebElement::getText)).containsExactly("3", "7");
        assertThat(browser.findElement(By.cssSelector("#plan-lines span[data-line='7']")).getAttribute("title"))
                .startsWith("waves.sizes[1]: sizes are cumulative").contains("10% after 50%");
        assertThat(browser.findElements(By.cssSelector("#plan-errors li")).stream().map(WebElement::getText))
                .anyMatch(text -> text.startsWith("Line 3 steps[0]")).anyMatch(text -> text.startsWith("Line 7 waves.sizes[1]"));
        browsers.look(null, "plans-with-errors", d -> true);

        browser.findElement(By.cssSelector("#plan-errors li[data-line='7'] button")).click();
        assertThat(((JavascriptExecutor) browser).executeScript("const s = document.getElementById('plan-source');"
                + " return s.value.substring(s.selectionStart, s.selectionEnd)")).isEqualTo("    - 10%");

        type(browser, "name: ui-fresh\nsteps:\n  - step: hugepages\n    params: {count: \"64\"}\n");
        ((JavascriptExecutor) browser).executeScript("window.sameDocument = 'never reloaded';");
        browser.findElement(By.id("save")).click();
        Browsers.waitOn(browser).until(d -> !d.findElement(By.id("plan-message")).getText().equals("Saving…"));
        assertThat(browser.findElement(By.id("plan-message")).getText()).isEqualTo("Saved ui-fresh version 1.");
        Browsers.waitOn(browser).until(d -> d.findElement(By.id("plans")).getText().contains("ui-fresh 1 hugepages " + USER));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.sameDocument")).isEqualTo("never reloaded");
    }

    @Test
    @Order(5)
    void theAuditNarrowsToItsFilters() throws Exception {
        browsers.look(base + "audit", "audit", d -> d.findElements(By.cssSelector("#audit tbody tr")).size() > 3);
        int all = browser.findElements(By.cssSelector("#audit tbody tr")).size();
        browser.findElement(By.id("f-action")).sendKeys("sweep");
        browser.findElement(By.id("f-actor")).sendKeys(USER);
        browser.findElement(By.cssSelector("#audit-filter button[type=submit]")).click();
        Browsers.waitOn(browser).until(ExpectedConditions.urlContains("action=sweep"));
        assertThat(browser.getCurrentUrl()).endsWith("/audit?actor=" + USER + "&action=sweep");
        List<String> actions = browser.findElements(By.cssSelector("#audit td.action")).stream().map(WebElement::getText).toList();
        assertThat(actions).as("of " + all + " changes").containsExactly("sweep.delete", "sweep.update");
        assertThat(browser.findElement(By.cssSelector("#audit pre.json")).getText()).contains("\"cron\" : \"0 0 4 * * ?\"");
        browsers.look(browser.getCurrentUrl(), "audit-filtered", d -> true);

        String future = "2099-01-01T00:00:00Z";
        browser.get(base + "audit?since=" + future);
        assertThat(browser.findElement(By.id("f-since")).getAttribute("value")).isNotEmpty();
        assertThat(browser.findElement(By.cssSelector("#audit tbody")).getText()).isEqualTo("No change matches.");
        given().get("/api/audit?since=yesterday").then().statusCode(400).body("errors[0].field", equalTo("since"));
        given().get("/api/audit?actor=" + USER + "&action=sweep.update&target=sweep").then().statusCode(200).body("size()", equalTo(1));
        assertThat(browsers.refusedByPolicy()).isEmpty();
    }

    private static List<String> hostRows(WebElement section) {
        return section.findElements(By.cssSelector("tr.host")).stream().filter(WebElement::isDisplayed)
                .map(r -> r.getAttribute("data-host")).toList();
    }

    private static void type(WebDriver each, String text) {
        ((JavascriptExecutor) each).executeScript("const s = document.getElementById('plan-source'); s.value = arguments[0];"
                + " s.dispatchEvent(new Event('input'));", text);
    }

    private static void runAndAwait(long sweep) {
        long run = given().post("/api/sweeps/" + sweep + "/run").then().statusCode(202).extract().jsonPath().getLong("id");
        Poll.until("run " + run + " of sweep " + sweep, Duration.ofSeconds(60), () -> given().get("/api/sweeps/" + sweep
                + "/runs/" + run).then().extract().jsonPath().getString("state"), "DONE"::equals);
    }
}
