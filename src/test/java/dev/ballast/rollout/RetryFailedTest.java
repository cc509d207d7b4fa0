package dev.ballast.rollout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.ApplicationTest;
import dev.ballast.lab.LabFleet;
import dev.ballast.lab.QuarkusLab;
import io.restassured.path.json.JsonPath;

/**
 * Retrying the failed hosts of a halted rollout re-runs them in their own wave only: the wave is judged
 * again against its thresholds, and the next wave opens only through its own gate, as any wave does. A
 * host rolled back, retried and applied again keeps a rollback point of the state the retry found.
 */
@ApplicationTest
class RetryFailedTest {

    @RegisterExtension
    static final QuarkusLab<LabFleet> lab = QuarkusLab.imported(20);

    @Test
    void retryingAHaltedWaveStartsNoHostOfALaterWaveUntilItsGateOpens() throws Exception {
        LabFleetFixture.savePlan("""
                name: retry-gated
                steps:
                  - step: io-scheduler
                    params: {device: sda, scheduler: none}
                waves:
                  canary: 1
                  sizes: [25%, 100%]
                  maxWaveFailures: 0
                  approval: every-wave
                concurrency: 10
                """);
        long id = LabFleetFixture.startRollout("retry-gated", "env=lab", "apply");
        LabFleetFixture.awaitState(id, Duration.ofSeconds(30), "AWAITING_APPROVAL");
        List<String> waveOne = hostsOfWave(id, 1);
        assertThat(waveOne).hasSize(4);
        waveOne.forEach(name -> lab.fleet().host(name).faults().undoRuntimeWrites = true);

        given().post("/api/rollouts/" + id + "/approve").then().statusCode(200);
        JsonPath halted = LabFleetFixture.awaitState(id, Duration.ofSeconds(30), "HALTED", "FAILED", "SUCCEEDED");
        assertThat(halted.getString("state")).isEqualTo("HALTED");
        assertLaterWaveUntouched(id);

        // Retried while the hosts still fail: the wave fails again and the rollout halts again.
        given().post("/api/rollouts/" + id + "/retry-failed").then().statusCode(200);
        JsonPath again = LabFleetFixture.awaitState(id, Duration.ofSeconds(30), "HALTED", "FAILED", "SUCCEEDED");
        assertThat(again.getString("state")).isEqualTo("HALTED");
        assertThat(again.getString("reason")).contains("wave 1: 4 of 4 hosts failed");
        assertThat(again.getString("waves[1].state")).isEqualTo("FAILED");
        assertLaterWaveUntouched(id);
        for (String name : waveOne) {
            assertThat(task(id, name).getInt("task.attempt")).as(name).isEqualTo(2);
        }

        // Retried once they are fixed: the wave passes, and wave 2 waits for its approval like any wave.
        waveOne.forEach(name -> lab.fleet().host(name).faults().clear());
        given().post("/api/rollouts/" + id + "/retry-failed").then().statusCode(200);
        JsonPath gated = LabFleetFixture.awaitState(id, Duration.ofSeconds(30), "AWAITING_APPROVAL", "HALTED", "FAILED");
        assertThat(gated.getString("state")).isEqualTo("AWAITING_APPROVAL");
        assertThat(gated.getString("waves[1].state")).isEqualTo("SUCCEEDED");
        assertLaterWaveUntouched(id);

        given().post("/api/rollouts/" + id + "/approve").then().statusCode(200);
        JsonPath done = LabFleetFixture.awaitState(id, Duration.ofSeconds(30), "SUCCEEDED", "FAILED", "HALTED");
        assertThat(done.getMap("totals")).isEqualTo(Map.of("SUCCEEDED", 20));
    }

    @Test
    void aHostRolledBackThenRetriedRollsBackFromTheWebToTheStateTheRetryFound() throws Exception {
        LabFleetFixture.savePlan("""
                name: retry-point
                steps:
                  - step: io-scheduler
                    params: {device: sda, scheduler: bfq}
                waves: {canary: 1, sizes: [100%]}
                """);
        String original = lab.fleet().host("lab-011").state().scheduler("sda");
        lab.fleet().host("lab-011").faults().undoRuntimeWrites = true;
        long id = LabFleetFixture.startRollout("retry-point", "rack=r2", "apply");
        JsonPath halted = LabFleetFixture.awaitState(id, Duration.ofSeconds(30), "HALTED", "FAILED", "SUCCEEDED");
        assertThat(halted.getString("state")).isEqualTo("HALTED");
        assertThat(task(id, "lab-011").getString("task.state")).isEqualTo("ROLLED_BACK");
        assertThat(lab.fleet().host("lab-011").state().scheduler("sda")).isEqualTo(original);

        // Someone else changes the host before the retry: the retry must capture what it finds now.
        lab.fleet().host("lab-011").faults().clear();
        lab.fleet().host("lab-011").state().setScheduler("sda", "kyber");
        given().post("/api/rollouts/" + id + "/retry-failed").then().statusCode(200);
        assertThat(LabFleetFixture.awaitState(id, Duration.ofSeconds(30), "SUCCEEDED", "FAILED", "HALTED")
                .getString("state")).isEqualTo("SUCCEEDED");
        assertThat(lab.fleet().host("lab-011").state().scheduler("sda")).isEqualTo("bfq");

        JsonPath points = given().get("/api/hosts/lab-011/rollback-points").then().statusCode(200).extract().jsonPath();
        assertThat(points.getString("find { it.rollout == " + id + " }.points[0].state")).isEqualTo("CAPTURED");
        assertThat(points.getString("find { it.rollout == " + id + " }.points[0].captured.scheduler")).isEqualTo("kyber");

        long rollback = given().contentType("application/json").body(Map.of("rollout", id))
                .post("/api/hosts/lab-011/rollback").then().statusCode(201).extract().jsonPath().getLong("id");
        assertThat(LabFleetFixture.awaitState(rollback, Duration.ofSeconds(30), "SUCCEEDED", "FAILED", "HALTED")
                .getString("state")).isEqualTo("SUCCEEDED");
        assertThat(lab.fleet().host("lab-011").state().scheduler("sda")).isEqualTo("kyber");
    }

    @Test
    void aRolloutThatWentOnPastItsThresholdsSaysSoWhenItEnds() throws Exception {
        LabFleetFixture.savePlan("""
                name: retry-continue
                steps:
                  - step: io-scheduler
                    params: {device: sda, scheduler: mq-deadline}
                waves:
                  canary: 1
                  sizes: [100%]
                  maxWaveFailures: 0
                  onThreshold: continue
                """);
        // Hosts that already run mq-deadline change nothing; the two whose writes do not stick fail.
        lab.fleet().hosts().forEach(h -> h.state().setScheduler("sda", "kyber"));
        lab.fleet().host("lab-003").faults().undoRuntimeWrites = true;
        lab.fleet().host("lab-007").faults().undoRuntimeWrites = true;
        long id = LabFleetFixture.startRollout("retry-continue", "rack=r1", "apply");
        JsonPath done = LabFleetFixture.awaitState(id, Duration.ofSeconds(30), "FAILED", "SUCCEEDED", "HALTED");
        lab.fleet().host("lab-003").faults().clear();
        lab.fleet().host("lab-007").faults().clear();
        assertThat(done.getString("state")).isEqualTo("FAILED");
        assertThat(done.getString("reason")).isEqualTo("2 hosts failed, more than the thresholds allow; the plan goes on past "
                + "them (onThreshold: continue)");
    }

    /** Every task of wave 2 is still queued and was never attempted. */
    private static void assertLaterWaveUntouched(long id) {
        JsonPath rollout = LabFleetFixture.rollout(id);
        assertThat(rollout.getString("waves[2].state")).isEqualTo("PENDING");
        JsonPath tasks = given().get("/api/rollouts/" + id + "/hosts?size=500").then().statusCode(200).extract().jsonPath();
        assertThat(tasks.getList("items.findAll { it.wave == 2 }.state")).hasSize(15).containsOnly("QUEUED");
        assertThat(tasks.getList("items.findAll { it.wave == 2 }.attempt")).containsOnly(0);
    }

    private static List<String> hostsOfWave(long id, int wave) {
        return given().get("/api/rollouts/" + id + "/hosts?size=500").then().statusCode(200).extract().jsonPath()
                .getList("items.findAll { it.wave == " + wave + " }.host");
    }

    private static JsonPath task(long id, String host) {
        return given().get("/api/rollouts/" + id + "/hosts/" + host).then().statusCode(200).extract().jsonPath();
    }
}
