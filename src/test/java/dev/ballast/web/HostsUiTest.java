package dev.ballast.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
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
 * Hosts as an operator finds them in a real browser: the hosts list searched by selector with its labels
 * and states, a host put in maintenance and probed, and a host whose key changed shown with both
 * fingerprints until an admin accepts the new key. Six lab hosts: zone a (lab-001, 003, 005) had the
 * scheduler applied, a sweep then checked all six, and lab-006 came back with another host key.
 */
@ApplicationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostsUiTest {

    static final String PASSWORD = "a long enough password";
    static Browsers browsers;
    static WebDriver browser;
    static long applied;
    static String pinnedKey;

    @RegisterExtension
    static final QuarkusLab<LabFleet> lab = QuarkusLab.imported(6).onceStarted(fleet -> {
        LabFleetFixture.savePlan("""
                name: hosts-ui-scheduler
                steps:
                  - step: io-scheduler
                    params: {device: nvme0n1, scheduler: none}
                waves: {canary: 1, sizes: [100%]}
                concurrency: 6
                """);
        for (String role : List.of("operator", "admin")) {
            given().contentType("application/json").body(Map.of("name", "hosts-" + role, "role", role, "password", PASSWORD))
                    .post("/api/users").then().statusCode(201);
        }
        applied = LabFleetFixture.startRollout("hosts-ui-scheduler", "zone=a", "apply");
        LabFleetFixture.awaitState(applied, Duration.ofSeconds(60), "SUCCEEDED");
        long sweep = given().contentType("application/json").body(Map.of("name", "hosts-ui-nightly", "cron", "0 0 3 * * ?",
                "selector", "env=lab", "plan", "hosts-ui-scheduler")).post("/api/sweeps").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        given().post("/api/sweeps/" + sweep + "/run").then().statusCode(202);
        Poll.until("the sweep's run", Duration.ofSeconds(60), () -> given().get("/api/sweeps/" + sweep + "/runs").then().extract()
                .jsonPath().getString("[0].state"), "DONE"::equals);
        pinnedKey = fleet.host("lab-006").hostKey();
        fleet.host("lab-006").rotateHostKey();
        given().contentType("application/json").body(Map.of("step", "hugepages", "params", Map.of("count", "16")))
                .post("/api/hosts/lab-006/probe").then().statusCode(409);
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

    private static List<String> cells(String host, String column) {
        return browser.findElements(By.cssSelector("#host-" + host + " td." + column)).stream().map(WebElement::getText).toList();
    }

    @Test
    @Order(1)
    void theHostsPageFiltersBySelectorAndShowsLabelsAsChipsAndEachHostsState() throws Exception {
        browsers.logIn(base.toString(), "hosts-operator", PASSWORD);
        browser.findElement(By.linkText("Hosts")).click();
        Browsers.waitOn(browser).until(d -> d.findElements(By.cssSelector("#hosts-list tr.host")).size() == 6);

        browsers.look(base + "hosts?selector=zone%3Db", "20-hosts-zone-b", d -> d.findElements(By.cssSelector("#hosts-list tr.host")).size() == 3);
        assertThat(browser.findElements(By.cssSelector("#hosts-list tr.host td:first-child")).stream().map(WebElement::getText))
                .containsExactly("lab-002", "lab-004", "lab-006");
        assertThat(browser.findElements(By.cssSelector("#host-lab-002 .chip")).stream().map(WebElement::getText))
                .contains("zone=b", "rack=r1", "role=hypervisor");
        assertThat(cells("lab-002", "drift")).containsExactly("2 facts drifted");
        assertThat(cells("lab-002", "last-rollout")).containsExactly("none");
        assertThat(cells("lab-006", "quarantine")).containsExactly("host key changed");
        assertThat(cells("lab-004", "quarantine")).containsExactly("no");

        browser.get(base + "hosts?selector=zone%3Da");
        assertThat(cells("lab-001", "last-rollout")).containsExactly("SUCCEEDED #" + applied);
        assertThat(browser.findElement(By.cssSelector("#host-lab-001 td.last-rollout a")).getAttribute("href"))
                .endsWith("/rollouts/" + applied + "/hosts/lab-001");
        assertThat(cells("lab-001", "drift")).containsExactly("none");
        assertThat(cells("lab-001", "restarts")).containsExactly("0");

        browser.get(base + "hosts?size=4");
        assertThat(browser.findElement(By.id("count")).getText()).isEqualTo("Hosts 1–4 of 6");
        browser.findElement(By.id("next-page")).click();
        Browsers.waitOn(browser).until(ExpectedConditions.textToBe(By.id("count"), "Hosts 5–6 of 6"));

        String apiSays = given().queryParam("selector", "zone in (").get("/api/hosts").then().statusCode(400)
                .extract().jsonPath().getString("errors[0].message");
        WebElement field = browser.findElement(By.id("selector"));
        field.clear();
        field.sendKeys("zone in (");
        browser.findElement(By.id("search-button")).click();
        Browsers.waitOn(browser).until(d -> !d.findElement(By.id("selector-error")).getText().isEmpty());
        assertThat(browser.findElement(By.id("selector-error")).getText()).isEqualTo("selector: " + apiSays);
        assertThat(browser.findElements(By.cssSelector("#hosts-list"))).isEmpty();
        assertThat(browser.findElement(By.id("selector")).getAttribute("value")).isEqualTo("zone in (");
    }

    @Test
    @Order(2)
    void anOperatorPutsAHostInMaintenanceAndProbesIt() throws Exception {
        WebDriverWait wait = Browsers.waitOn(browser);
        given().contentType("application/json").body(Map.of()).put("/api/hosts/lab-002/maintenance").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", org.hamcrest.Matchers.equalTo("maintenance"));
        browser.get(base + "hosts/lab-002");
        browser.findElement(By.id("maintenance-toggle")).click();
        wait.until(ExpectedConditions.textToBe(By.id("maintenance-toggle"), "End maintenance"));
        assertThat(browser.findElement(By.id("maintenance-state")).getText()).startsWith("in maintenance");
        browser.get(base + "hosts?selector=zone%3Db");
        assertThat(cells("lab-002", "maintenance")).containsExactly("in maintenance");
        assertThat(cells("lab-004", "maintenance")).containsExactly("no");
        browser.get(base + "audit?target=host/lab-002");
        assertThat(browser.findElement(By.cssSelector("#audit tbody tr:first-child")).getText())
                .contains("hosts-operator", "host.maintenance", "host/lab-002");

        browser.get(base + "hosts/lab-002");
        new Select(browser.findElement(By.id("probe-what"))).selectByValue("step:io-scheduler");
        browser.findElement(By.cssSelector("#probe-params input[name=device]")).sendKeys("nvme0n1");
        browser.findElement(By.id("probe-button")).click();
        wait.until(d -> !d.findElements(By.cssSelector("#probe-result table")).isEmpty());
        assertThat(browser.findElement(By.id("probe-message")).getText()).isEqualTo("io-scheduler: 2 facts drifted");
        List<String> rows = browser.findElements(By.cssSelector("#probe-result tr")).stream().map(WebElement::getText).toList();
        assertThat(rows).contains("scheduler none mq-deadline", "scheduler mq-deadline");
        Browsers.shoot(browser, "21-host-probed-desktop");

        browsers.look(base + "hosts/lab-001", "21-host", d -> d.findElements(By.cssSelector("#step-states td")).size() >= 4
                && d.findElements(By.cssSelector("#probe-what option")).size() > 3);
        assertThat(browser.findElement(By.cssSelector("#step-states tr:nth-child(2)")).getText())
                .startsWith("io-scheduler COMPLIANT");
        // Each rollback point beside the step's state as last seen (here the sweep's check): what a rollback would change now.
        WebElement seen = browser.findElement(By.cssSelector("#points-" + applied + " td.last-seen"));
        assertThat(seen.findElements(By.cssSelector("dd.differs")).stream().map(WebElement::getText))
                .as("the udev rule (two lines, folded) and the scheduler").containsExactly("2 lines (differs)", "none (differs)");
        assertThat(seen.getText()).contains("wwid\neui.");
        ((JavascriptExecutor) browsers.phone).executeScript("document.getElementById(arguments[0]).scrollIntoView()", "points-" + applied);
        Browsers.shoot(browsers.phone, "21-host-points-phone");

        browser.get(base + "hosts/lab-006");
        assertThat(browser.findElement(By.id("quarantine")).getText()).contains("An admin may accept the presented key.");
        assertThat(browser.findElements(By.id("accept-key"))).as("an operator may not accept a key").isEmpty();
        assertThat(browsers.refusedByPolicy()).isEmpty();
    }

    @Test
    @Order(3)
    void aQuarantinedHostShowsBothFingerprintsAndAnAdminAcceptsTheNewKey() throws Exception {
        browsers.desktop.manage().deleteAllCookies();
        browsers.phone.manage().deleteAllCookies();
        browsers.logIn(base.toString(), "hosts-admin", PASSWORD);
        String presentedKey = lab.fleet().host("lab-006").hostKey();
        browsers.look(base + "hosts/lab-006", "22-host-quarantined", d -> !d.findElements(By.id("accept-key")).isEmpty());
        assertThat(browser.findElement(By.id("pinned-fingerprint")).getText()).isEqualTo(sshKeygenFingerprint(pinnedKey));
        assertThat(browser.findElement(By.id("presented-fingerprint")).getText()).isEqualTo(sshKeygenFingerprint(presentedKey));
        assertThat(sshKeygenFingerprint(pinnedKey)).isNotEqualTo(sshKeygenFingerprint(presentedKey));

        browser.findElement(By.id("accept-key")).click();
        Browsers.waitOn(browser).until(ExpectedConditions.alertIsPresent()).accept();
        Browsers.waitOn(browser).until(d -> d.findElements(By.id("quarantine")).isEmpty());
        given().get("/api/hosts/lab-006").then().statusCode(200)
                .body("hostKey", org.hamcrest.Matchers.equalTo(presentedKey)).body("quarantine", org.hamcrest.Matchers.nullValue());
        browser.get(base + "audit?target=host/lab-006");
        assertThat(browser.findElement(By.cssSelector("#audit tbody tr:first-child")).getText())
                .contains("hosts-admin", "host.key.accept", "host/lab-006");
        browsers.look(base + "hosts", "23-hosts", d -> d.findElements(By.cssSelector("#hosts-list tr.host")).size() == 6);
        assertThat(cells("lab-006", "quarantine")).containsExactly("no");
        assertThat(browsers.refusedByPolicy()).isEmpty();
    }

    /** The fingerprint as OpenSSH's own tool prints it, the one an operator compares on the host's console. */
    private static String sshKeygenFingerprint(String publicKey) throws IOException, InterruptedException {
        Process keygen = new ProcessBuilder("ssh-keygen", "-lf", "-").redirectErrorStream(true).start();
        keygen.getOutputStream().write((publicKey + "\n").getBytes(StandardCharsets.US_ASCII));
        keygen.getOutputStream().close();
        String out = new String(keygen.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(keygen.waitFor()).as("ssh-keygen -lf: " + out).isZero();
        return out.split("\\s+")[1];
    }
}
