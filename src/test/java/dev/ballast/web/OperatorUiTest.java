package dev.ballast.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

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
import dev.ballast.lab.HostState;
import dev.ballast.lab.LabFleet;
import dev.ballast.lab.QuarkusLab;
import dev.ballast.rollout.LabFleetFixture;
import io.quarkus.test.common.http.TestHTTPResource;

/**
 * The operator's path through the UI in a real browser (Debian's chromium, driven by Selenium), at desk
 * and phone size: log in, start a rollout, watch it end without a reload, open a failed host's history in
 * one click, roll a host back; see a halted, an awaiting-approval and a paused rollout flagged with their
 * reason and only their valid controls, Cancel asking first. Every page is screenshot to
 * target/screenshots at both sizes and scanned with axe-core; nothing may be refused by the
 * Content-Security-Policy on the way.
 */
@ApplicationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorUiTest {

    static final String USER = "ui-operator";
    static final String PASSWORD = "a long enough password";
    static Browsers browsers;
    static WebDriver browser;

    /** Once per class: the operator, the plans and the browsers, logged in. */
    @RegisterExtension
    static final QuarkusLab<LabFleet> lab = QuarkusLab.imported(8).onceStarted(fleet -> {
        LabFleetFixture.savePlan("""
                name: ui-scheduler
                steps:
                  - step: io-scheduler
                    params: {device: nvme0n1, scheduler: none}
                waves: {canary: 1, sizes: [100%], maxWaveFailures: "2", maxTotalFailures: "2"}
                concurrency: 8
                """);
        given().contentType("application/json").body(Map.of("name", USER, "role", "operator", "password", PASSWORD))
                .post("/api/users").then().statusCode(201);
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
    void logInRollOutWatchItLiveOpenAFailedHostInOneClickAndRollBackAnother() throws Exception {
        // lab-003's scheduler writes do not stick: its verify fails and the step is rolled back. lab-006 loses
        // its connection at every udev reload: Ballast reconnects to roll the change back, loses the
        // connection again at the rollback's own reload, and the host ends FAILED with its point waiting.
        lab.fleet().host("lab-003").faults().undoRuntimeWrites = true;
        lab.fleet().host("lab-006").faults().dropOn = "udevadm";
        WebDriverWait wait = Browsers.waitOn(browser);

        browser.get(base + "hosts/lab-001");
        wait.until(ExpectedConditions.urlContains("/login"));
        browsers.logIn(base.toString(), USER, PASSWORD);
        assertThat(browser.findElement(By.id("hosts-total")).getText()).isEqualTo("8");

        new Select(browser.findElement(By.id("plan"))).selectByValue("ui-scheduler");
        browser.findElement(By.id("selector")).clear();
        browser.findElement(By.id("selector")).sendKeys("env=lab");
        browser.findElement(By.id("start-rollout")).click();
        wait.until(ExpectedConditions.urlContains("/rollouts/"));
        String rolloutUrl = browser.getCurrentUrl();
        ((JavascriptExecutor) browser).executeScript("window.sameDocument = 'never reloaded';");

        wait.until(d -> List.of("FAILED", "HALTED", "SUCCEEDED").contains(d.findElement(By.id("state")).getText()));
        wait.until(d -> !d.findElement(By.id("totals")).getText().contains("queued")
                && !d.findElement(By.id("totals")).getText().contains("running"));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.sameDocument")).isEqualTo("never reloaded");
        assertThat(browser.findElement(By.id("state")).getText()).isEqualTo("FAILED");
        assertThat(browser.findElement(By.id("totals")).getText()).isEqualTo("6 succeeded, 1 failed, 1 rolled back");
        assertThat(browser.findElement(By.cssSelector("#wave-0 .name")).getText()).isEqualTo("canary");
        assertThat(browser.findElements(By.cssSelector("#overall span")).stream().map(s -> s.getAttribute("class")))
                .containsExactly("o-SUCCEEDED", "o-FAILED", "o-ROLLED_BACK");
        assertThat(browser.findElements(By.cssSelector("#controls button")).stream().map(WebElement::getText))
                .as("a FAILED rollout can only retry its failed hosts").containsExactly("Retry failed hosts");
        // The failure-domain grid: by rack (the lab's hosts are all in r1), then by zone, each failure in its own zone.
        wait.until(d -> d.findElements(By.cssSelector("#domains .cell")).size() == 8);
        assertThat(browser.findElement(By.cssSelector("#domains .domain.failing")).getText())
                .isEqualTo("rack=r1\n6 succeeded, 1 failed, 1 rolled back");
        new Select(browser.findElement(By.id("domain-label"))).selectByValue("zone");
        wait.until(d -> d.findElements(By.cssSelector("#domains .domain.failing")).size() == 2);
        assertThat(browser.findElements(By.cssSelector("#domains .domain")).stream().map(WebElement::getText))
                .containsExactly("zone=a\n3 succeeded, 1 rolled back", "zone=b\n3 succeeded, 1 failed");
        assertThat(browser.findElement(By.cssSelector("#domains .cell.o-FAILED")).getAttribute("aria-label")).isEqualTo("lab-006: FAILED");
        browsers.look(rolloutUrl, "2-rollout-finished", d -> d.findElements(By.cssSelector("#hosts tr.host")).size() == 8
                && d.findElements(By.cssSelector("#domains .cell")).size() == 8);

        new Select(browser.findElement(By.id("host-filter"))).selectByValue("failures");
        wait.until(d -> d.findElements(By.cssSelector("#hosts tr.host")).size() == 2);
        browser.findElement(By.linkText("lab-003")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "lab-003 in rollout #"));
        WebElement failedStep = browser.findElement(By.cssSelector("section.record.failed"));
        assertThat(failedStep.findElement(By.tagName("h3")).getText()).isEqualTo("STEP 1. io-scheduler VERIFY_FAILED");
        assertThat(failedStep.findElements(By.cssSelector("table.drift tr")).stream().map(WebElement::getText))
                .contains("scheduler none mq-deadline");
        assertThat(browser.findElement(By.id("why")).getText()).startsWith("Why:");
        browsers.look(browser.getCurrentUrl(), "3-failed-host-in-rollout", d -> d.findElements(By.cssSelector("section.record")).size() == 2);

        browser.get(rolloutUrl);
        new Select(wait.until(ExpectedConditions.elementToBeClickable(By.id("host-filter")))).selectByValue("failures");
        wait.until(d -> d.findElements(By.cssSelector("#hosts tr.host")).size() == 2);
        browser.findElement(By.linkText("lab-006")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "lab-006 in rollout #"));
        browser.findElement(By.linkText("host page")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("h1"), "Host lab-006"));
        HostState host = lab.fleet().host("lab-006").state();
        wait.until(d -> d.findElements(By.cssSelector("table.points td.state-ROLLBACK_FAILED")).size() == 1);
        assertThat(browser.findElement(By.cssSelector("table.points dl.captured")).getText()).contains("scheduler\nmq-deadline");
        browsers.look(browser.getCurrentUrl(), "4-host-with-rollback-points", d -> true);

        lab.fleet().host("lab-006").faults().clear();
        lab.fleet().host("lab-003").faults().clear();
        // The confirm lists what will be restored, with the captured values, before anything runs.
        String hostUrl = browser.getCurrentUrl();
        String rollout = rolloutUrl.substring(rolloutUrl.lastIndexOf('/') + 1);
        By confirm = By.id("confirm-rollback-" + rollout);
        browsers.look(hostUrl, "5-rollback-confirm", d -> {
            if (!d.findElement(confirm).isDisplayed()) {
                d.findElement(By.cssSelector("button.rollback")).click();
            }
            return d.findElement(confirm).isDisplayed();
        });
        assertThat(browser.findElement(confirm).findElements(By.cssSelector("ol.restores > li")).stream().map(WebElement::getText))
                .containsExactly("1. io-scheduler (an earlier rollback of it failed)\nrule\n<absent>\nwwid\neui.0025385b00000006\n"
                        + "available\nnone mq-deadline kyber bfq\nscheduler\nmq-deadline");
        assertThat(given().get("/api/rollouts").then().statusCode(200).extract().jsonPath().getList("mode"))
                .as("nothing runs before the confirm").doesNotContain("ROLLBACK");
        browser.findElement(confirm).findElement(By.xpath(".//button[@value='rollback']")).click();
        By result = By.id("rollback-result-" + rollout);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(result, "Rolled back: every step it changed is back to its captured state"));
        assertThat(host.scheduler("nvme0n1")).isEqualTo("mq-deadline");
        assertThat(host.file("/etc/udev/rules.d/99-ballast-scheduler-nvme0n1.rules")).isNull();
        assertThat(browser.findElements(By.cssSelector("table.points td.state-ROLLED_BACK"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector("button.rollback"))).as("nothing is left to roll back").isEmpty();
        assertThat(browser.findElement(By.cssSelector("#step-states tr:nth-child(2)")).getText())
                .as("where the step stands now: undone by the rollback").startsWith("io-scheduler ROLLED_BACK #");
        browser.navigate().refresh();
        assertThat(browser.findElement(result).getText()).as("the result survives a reload")
                .startsWith("Rolled back: every step it changed is back to its captured state (rollback #")
                .contains("by " + USER);
        Browsers.shoot(browser, "5-host-after-rollback");

        browser.get(base.toString());
        assertThat(browser.findElement(By.id("recent")).getText()).contains("host rollback");
        assertThat(browsers.refusedByPolicy()).isEmpty();
    }

    @Test
    @Order(2)
    void haltedAwaitingApprovalAndPausedRolloutsAreFlaggedWithTheirReasonAndOnlyTheirControls() throws Exception {
        LabFleetFixture.savePlan("""
                name: ui-gated
                preflight:
                  - check: fio-baseline
                    params: {device: nvme1n1, runtime: "1"}
                steps:
                  - step: io-scheduler
                    params: {device: nvme1n1, scheduler: none}
                waves: {canary: 1, sizes: [100%], approval: after-canary, fioMaxDropPercent: 20}
                """);
        LabFleetFixture.savePlan("""
                name: ui-strict
                steps:
                  - step: io-scheduler
                    params: {device: sda, scheduler: none}
                waves: {sizes: [100%], maxWaveFailures: "0"}
                """);
        lab.fleet().host("lab-002").faults().undoRuntimeWrites = true;
        long halted = LabFleetFixture.startRollout("ui-strict", "zone=b", "apply");
        LabFleetFixture.awaitState(halted, Duration.ofSeconds(60), "HALTED");
        lab.fleet().host("lab-002").faults().clear();
        long gated = LabFleetFixture.startRollout("ui-gated", "zone=a", "apply");
        LabFleetFixture.awaitState(gated, Duration.ofSeconds(60), "AWAITING_APPROVAL");
        long paused = LabFleetFixture.startRollout("ui-gated", "zone=b", "apply");
        LabFleetFixture.awaitState(paused, Duration.ofSeconds(60), "AWAITING_APPROVAL");
        given().post("/api/rollouts/" + paused + "/pause").then().statusCode(200);
        WebDriverWait wait = Browsers.waitOn(browser);

        browsers.look(base.toString(), "1-dashboard-needs-attention", d -> d.findElement(By.id("attention")).getText().contains("#" + paused));
        String attention = browser.findElement(By.id("attention")).getText();
        assertThat(attention).contains("Rollout #" + halted + " ui-strict v1 (apply): HALTED canary: 1 of 1 hosts failed, more than the 0 allowed")
                .contains("Rollout #" + gated + " ui-gated v1 (apply): AWAITING_APPROVAL wave 1 waits for approval")
                .contains("Rollout #" + paused + " ui-gated v1 (apply): PAUSED pause by token:bootstrap");

        browsers.look(base + "rollouts/" + halted, "6-rollout-halted", d -> !d.findElements(By.cssSelector(".failed-hosts li")).isEmpty());
        assertThat(browser.findElement(By.cssSelector(".banner.halted")).getText()).contains("canary: 1 of 1 hosts failed")
                .contains("lab-002 ROLLED_BACK");
        assertThat(controls()).containsExactly("Retry failed hosts", "Cancel");

        browsers.look(base + "rollouts/" + gated, "7-rollout-awaiting-approval", d -> !controls().isEmpty());
        assertThat(browser.findElement(By.cssSelector(".banner.approval")).getText()).contains("Wave 1 waits for approval")
                .contains("The canary before it: 1 succeeded.")
                .containsPattern("Health gate fio-baseline on the canary: 1 passed, 0 failed; IOPS after the steps at worst 100% of the "
                        + "preflight's, on lab-00\\d \\(at least 80% required\\)\\.");
        assertThat(LabFleetFixture.rollout(gated).getList("waves[0].healthGate.signal")).containsExactly("fio-baseline");
        assertThat(controls()).containsExactly("Approve", "Deny", "Pause", "Cancel");
        browser.findElement(By.cssSelector("button[data-control=deny]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("action-message"), "Say why"));
        browser.findElement(By.id("deny-reason")).sendKeys("canary latency doubled");
        browser.findElement(By.cssSelector("button[data-control=deny]")).click();
        wait.until(ExpectedConditions.textToBe(By.id("state"), "CANCELLED"));
        assertThat(browser.findElement(By.id("reason")).getText()).isEqualTo("denied at wave 1 by " + USER + ": canary latency doubled");
        assertThat(controls()).isEmpty();

        browsers.look(base + "rollouts/" + paused, "8-rollout-paused", d -> !controls().isEmpty());
        assertThat(browser.findElement(By.cssSelector(".banner.paused")).getText()).contains("pause by token:bootstrap");
        assertThat(controls()).containsExactly("Resume", "Cancel");
        browser.findElement(By.cssSelector("button[data-control=cancel]")).click();
        assertThat(wait.until(ExpectedConditions.alertIsPresent()).getText())
                .isEqualTo("Cancel rollout #" + paused + "? 3 queued hosts will not run; hosts in flight finish their step.");
        browser.switchTo().alert().dismiss();
        assertThat(LabFleetFixture.rollout(paused).getString("state")).as("dismissed: nothing cancelled").isEqualTo("PAUSED");
        browser.findElement(By.cssSelector("button[data-control=cancel]")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBe(By.id("state"), "CANCELLED"));

        // A wave waiting out the plan's pause counts down to the time it opens.
        LabFleetFixture.savePlan("""
                name: ui-paced
                steps:
                  - step: io-scheduler
                    params: {device: nvme1n1, scheduler: none}
                waves: {canary: 1, sizes: [100%], pauseBetweenWaves: 10m}
                """);
        long paced = LabFleetFixture.startRollout("ui-paced", "zone=a", "apply");
        LabFleetFixture.awaitRollout(paced, "wave 1 waiting out its pause", Duration.ofSeconds(60),
                r -> r.getString("waves[1].notBefore") != null);
        browsers.look(base + "rollouts/" + paced, "8b-rollout-wave-waiting", d -> !d.findElements(By.id("opens-in")).isEmpty());
        assertThat(browser.findElement(By.cssSelector(".banner.waiting")).getText())
                .as("a slow machine may take a while to show it: any time up to the 10 minutes")
                .matches("Wave 1 opens in ([0-9]|10):[0-5]\\d, at .+ \\(the plan's pause between waves\\)\\.");
        given().post("/api/rollouts/" + paced + "/cancel").then().statusCode(200);
        assertThat(browsers.refusedByPolicy()).isEmpty();
    }

    @Test
    @Order(3)
    void everyOtherPageReadsWellAtBothSizes() throws Exception {
        long sweep = given().contentType("application/json").body(Map.of("name", "ui-nightly", "cron", "0 0 3 * * ?",
                "selector", "env=lab", "plan", "ui-scheduler")).post("/api/sweeps").then().statusCode(201).extract().jsonPath().getLong("id");
        given().post("/api/sweeps/" + sweep + "/run").then().statusCode(202);
        Poll.until("the sweep's run", Duration.ofSeconds(60), () -> given().get("/api/sweeps/" + sweep + "/runs").then().extract()
                .jsonPath().getString("[0].state"), "DONE"::equals);

        browsers.look(base + "sweeps", "9-sweeps-with-drift", d -> d.getPageSource().contains("drifted"));
        browsers.look(base + "plans", "10-plans", d -> true);
        for (WebDriver each : List.of(browsers.desktop, browsers.phone)) {
            WebElement source = each.findElement(By.id("plan-source"));
            source.clear();
            source.sendKeys("name: broken\nsteps:\n  - step: no-such-step\n");
            each.findElement(By.id("validate")).click();
            Browsers.waitOn(each).until(d -> !d.findElements(By.cssSelector("#plan-errors li")).isEmpty());
        }
        browsers.look(null, "11-plans-with-errors", d -> true);
        browsers.look(base + "audit", "12-audit", d -> true);
        browsers.look(base + "rollouts/999999", "13-not-found", d -> d.findElement(By.tagName("h1")).getText().equals("Not found"));
        assertThat(browser.getPageSource()).contains("no rollout 999999");
        assertThat(browsers.refusedByPolicy()).isEmpty();
    }

    private static List<String> controls() {
        return browser.findElements(By.cssSelector("button[data-control]")).stream().map(WebElement::getText).toList();
    }
}
