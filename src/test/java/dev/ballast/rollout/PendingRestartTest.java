package dev.ballast.rollout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.ApplicationTest;
import dev.ballast.Poll;
import dev.ballast.lab.LabFleet;
import dev.ballast.lab.Libvirt;
import dev.ballast.lab.QuarkusLab;
import io.restassured.path.json.JsonPath;

/**
 * A domain change is applied when the persistent XML says it and in effect only once the guest has been
 * cold-started with it. Check mode and sweeps read the persistent XML, so they must ask the running
 * guests too: a host whose guests still run the old configuration is PENDING_RESTART, not COMPLIANT,
 * and the host lists those guests and since when they wait.
 */
@ApplicationTest
class PendingRestartTest {

    /** lab-001 runs vm-1-1 and vm-1-3, lab-002 runs vm-2-1; vm-N-2 is shut off and takes the change at once. */
    @RegisterExtension
    static final QuarkusLab<LabFleet> lab = QuarkusLab.imported(2).onceStarted(fleet -> {
        LabFleetFixture.savePlan("""
                name: disk-cache-everywhere
                steps:
                  - step: libvirt-disk-cache
                    params: {domain: all}
                waves: {canary: 1, sizes: [100%]}
                """);
        long apply = LabFleetFixture.startRollout("disk-cache-everywhere", "env=lab", "apply");
        JsonPath applied = LabFleetFixture.awaitState(apply, Duration.ofSeconds(30), "SUCCEEDED", "FAILED", "HALTED");
        assertThat(applied.getMap("totals")).isEqualTo(Map.of("SUCCEEDED", 2));
    });

    @Test
    void checkModeAndSweepsTellGuestsWaitingForARestartFromDrift() {
        Libvirt lab2 = lab.fleet().host("lab-002").state().libvirt();
        String vm21 = lab2.uuidOf("vm-2-1");

        long check = LabFleetFixture.startRollout("disk-cache-everywhere", "env=lab", "check");
        JsonPath checked = LabFleetFixture.awaitState(check, Duration.ofSeconds(30), "SUCCEEDED", "FAILED", "HALTED");
        assertThat(checked.getMap("totals")).isEqualTo(Map.of("PENDING_RESTART", 2));
        JsonPath line = task(check, "lab-002");
        assertThat(line.getList("history.outcome")).containsExactly("PENDING_RESTART");
        assertThat(line.getString("history[0].detail")).contains("vm-2-1 (" + vm21 + ") still run the old configuration")
                .doesNotContain("vm-2-2");
        List<Map<String, Object>> waiting = pendingRestarts("lab-001");
        assertThat(waiting).extracting(w -> w.get("domainName") + "/" + w.get("step"))
                .containsExactlyInAnyOrder("vm-1-1/libvirt-disk-cache", "vm-1-3/libvirt-disk-cache");
        Object since = pendingRestarts("lab-002").get(0).get("since");
        String page = given().get("/hosts/lab-001").then().statusCode(200).extract().asString();
        assertThat(page).contains("Guests waiting for a cold restart");
        assertThat(page.substring(page.indexOf("id=\"pending-restarts\""), page.indexOf("</table>", page.indexOf("id=\"pending-restarts\""))))
                .contains("vm-1-1", "vm-1-3").doesNotContain("vm-1-2");

        lab2.coldStart(vm21);
        long second = LabFleetFixture.startRollout("disk-cache-everywhere", "env=lab", "check");
        JsonPath rechecked = LabFleetFixture.awaitState(second, Duration.ofSeconds(30), "SUCCEEDED", "FAILED", "HALTED");
        assertThat(rechecked.getMap("totals")).isEqualTo(Map.of("PENDING_RESTART", 1, "COMPLIANT", 1));
        assertThat(pendingRestarts("lab-002")).as("vm-2-1 was cold-started with the new XML").isEmpty();
        assertThat(pendingRestarts("lab-001")).extracting(w -> w.get("since")).as("still waiting, since the apply")
                .doesNotContainNull().allSatisfy(s -> assertThat(s.toString()).isLessThanOrEqualTo(since.toString()));

        long sweep = given().contentType("application/json").body(Map.of("name", "pending-restarts", "cron", "0 0 3 * * ?",
                "selector", "env=lab", "plan", "disk-cache-everywhere", "remediate", true)).post("/api/sweeps").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        long run = given().post("/api/sweeps/" + sweep + "/run").then().statusCode(202).extract().jsonPath().getLong("id");
        JsonPath ended = new JsonPath(Poll.until("run " + run + " ended", Duration.ofSeconds(30),
                () -> given().get("/api/sweeps/" + sweep + "/runs/" + run).then().statusCode(200).extract().asString(),
                answer -> !new JsonPath(answer).getString("state").equals("RUNNING")));
        given().delete("/api/sweeps/" + sweep).then().statusCode(204);
        assertThat(ended.getString("state")).isEqualTo("DONE");
        assertThat(ended.getInt("driftedHosts")).isZero();
        assertThat(ended.getInt("pendingRestartHosts")).isEqualTo(1);
        assertThat(ended.get("remediationRollout") == null).as("a guest that waits for a restart is no drift to remediate").isTrue();
    }

    private static JsonPath task(long rollout, String host) {
        return given().get("/api/rollouts/" + rollout + "/hosts/" + host).then().statusCode(200).extract().jsonPath();
    }

    private static List<Map<String, Object>> pendingRestarts(String host) {
        return given().get("/api/hosts/" + host + "/pending-restarts").then().statusCode(200).extract().jsonPath().getList("$");
    }
}
