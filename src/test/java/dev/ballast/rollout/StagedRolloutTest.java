package dev.ballast.rollout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.ApplicationTest;
import dev.ballast.lab.LabFleet;
import dev.ballast.lab.QuarkusLab;
import dev.ballast.queue.TaskQueue;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * 100 lab hosts, canary 1 then 10%, 50%, 100%, three hosts whose scheduler writes do not stick: those are
 * rolled back to exactly their previous state, the thresholds halt or let the rollout go on as the plan
 * says, and an approval gate holds after the canary until approved.
 */
@ApplicationTest
class StagedRolloutTest {

    static final List<String> FAILING = List.of("lab-003", "lab-022", "lab-077");

    @RegisterExtension
    static final QuarkusLab<LabFleet> lab = QuarkusLab.imported(100);

    @Inject
    TaskQueue queue;

    @BeforeEach
    void threeHostsWhoseSchedulerWritesDoNotStick() {
        FAILING.forEach(name -> lab.fleet().host(name).faults().undoRuntimeWrites = true);
    }

    static String plan(String name, String device, String maxWaveFailures, String approval) {
        return """
                name: %s
                description: I/O scheduler none on %s
                steps:
                  - step: io-scheduler
                    params: {device: %s, scheduler: none}
                preflight:
                  - check: kernel
                    params: {min: "5.10"}
                waves:
                  canary: 1
                  sizes: [10%%, 50%%, 100%%]
                  maxWaveFailures: "%s"
                  maxTotalFailures: 5%%
                  approval: %s
                concurrency: 20
                """.formatted(name, device, device, maxWaveFailures, approval);
    }

    @Test
    void holdsAfterTheCanaryRollsBackFailedHostsAndFinishesWithinTheThresholds() throws Exception {
        LabFleetFixture.savePlan(plan("sched-nvme0", "nvme0n1", "1", "after-canary"));
        long id = LabFleetFixture.startRollout("sched-nvme0", "env=lab", "apply");

        JsonPath held = LabFleetFixture.awaitState(id, Duration.ofSeconds(30), "AWAITING_APPROVAL");
        assertThat(held.getList("waves.hosts", Integer.class)).containsExactly(1, 9, 40, 50);
        assertThat(held.getString("waves[0].state")).isEqualTo("SUCCEEDED");
        // Nothing runs before approval, by construction: a rollout awaiting approval is not open for
        // claiming, and its next wave has not opened, every task of it queued and never attempted.
        assertThat(queue.openRollouts()).extracting(TaskQueue.OpenRollout::id).doesNotContain(id);
        assertThat(held.getString("waves[1].state")).isEqualTo("PENDING");
        assertThat(LabFleetFixture.rollout(id).getInt("waves[1].counts.QUEUED")).as("nothing runs before approval").isEqualTo(9);
        assertThat(attemptsOfWave(id, 1)).hasSize(9).containsOnly(0);
        assertThat(lab.fleet().host("lab-002").state().scheduler("nvme0n1")).isEqualTo("mq-deadline");

        given().post("/api/rollouts/" + id + "/approve").then().statusCode(200);
        JsonPath done = LabFleetFixture.awaitState(id, Duration.ofSeconds(60), "FAILED", "SUCCEEDED", "HALTED");

        assertThat(done.getString("state")).isEqualTo("FAILED");
        assertThat(done.getString("reason")).contains("3 hosts failed, within the thresholds");
        assertThat(done.getMap("totals")).containsEntry("ROLLED_BACK", 3).containsEntry("SUCCEEDED", 97);
        for (String name : FAILING) {
            assertThat(lab.fleet().host(name).state().scheduler("nvme0n1")).as(name).isEqualTo("mq-deadline");
            assertThat(lab.fleet().host(name).state().file("/etc/udev/rules.d/99-ballast-scheduler-nvme0n1.rules")).isNull();
            JsonPath host = given().get("/api/rollouts/" + id + "/hosts/" + name).then().statusCode(200).extract().jsonPath();
            assertThat(host.getString("task.state")).isEqualTo("ROLLED_BACK");
            assertThat(host.getList("history.outcome")).containsExactly("PASSED", "VERIFY_FAILED", "ROLLED_BACK");
        }
        assertThat(lab.fleet().host("lab-050").state().scheduler("nvme0n1")).isEqualTo("none");
        JsonPath points = given().get("/api/hosts/lab-051/rollback-points").then().statusCode(200).extract().jsonPath();
        assertThat(points.getString("find { it.rollout == " + id + " }.points[0].step")).isEqualTo("io-scheduler");
        assertThat(points.getString("find { it.rollout == " + id + " }.points[0].state")).isEqualTo("CAPTURED");
        assertThat(points.getString("find { it.rollout == " + id + " }.points[0].captured.scheduler")).isEqualTo("mq-deadline");
        assertThat(given().get("/api/hosts/lab-003/rollback-points").then().statusCode(200).extract().jsonPath()
                .getString("find { it.rollout == " + id + " }.points[0].state")).isEqualTo("ROLLED_BACK");
        given().get("/api/hosts/no-such-host/rollback-points").then().statusCode(404);
        assertThat(given().get("/api/rollouts/" + id + "/hosts?state=ROLLED_BACK").then().statusCode(200).extract()
                .jsonPath().getList("items.host")).containsExactlyElementsOf(FAILING);
    }

    @Test
    void aDeniedGateCancelsTheRolloutWithTheReasonAndOffersOnlyTheControlsThatApply() throws Exception {
        LabFleetFixture.savePlan(plan("sched-deny", "nvme1n1", "1", "after-canary"));
        long id = LabFleetFixture.startRollout("sched-deny", "env=lab", "apply");
        JsonPath held = LabFleetFixture.awaitState(id, Duration.ofSeconds(30), "AWAITING_APPROVAL");
        assertThat(held.getList("controls")).containsExactly("approve", "deny", "pause", "cancel");

        given().contentType("application/json").body(Map.of("reason", " ")).post("/api/rollouts/" + id + "/deny")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", org.hamcrest.Matchers.equalTo("reason"));
        JsonPath denied = given().contentType("application/json").body(Map.of("reason", "canary latency doubled"))
                .post("/api/rollouts/" + id + "/deny").then().statusCode(200).extract().jsonPath();

        assertThat(denied.getString("state")).isEqualTo("CANCELLED");
        assertThat(denied.getString("reason")).isEqualTo("denied at wave 1 by token:bootstrap: canary latency doubled");
        assertThat(denied.getList("controls")).isEmpty();
        assertThat(denied.getMap("totals")).as("no host waits any more").doesNotContainKey("QUEUED").containsEntry("CANCELLED", 99);
        assertThat(attemptsOfWave(id, 1)).as("no host of the denied wave ever ran").hasSize(9).containsOnly(0);
        given().post("/api/rollouts/" + id + "/approve").then().statusCode(409);
        assertThat(given().get("/api/audit?target=rollout/" + id).then().statusCode(200).extract().jsonPath()
                .getString("find { it.action == 'rollout.deny' }.after.reason")).isEqualTo("canary latency doubled");
    }

    @Test
    void haltsWhenAWaveFailsMoreThanAllowedAndRetriesOnlyTheFailedHosts() throws Exception {
        LabFleetFixture.savePlan(plan("sched-nvme1", "sda", "0", "none"));
        long id = LabFleetFixture.startRollout("sched-nvme1", "env=lab", "apply");

        JsonPath halted = LabFleetFixture.awaitState(id, Duration.ofSeconds(60), "HALTED", "SUCCEEDED", "FAILED");
        assertThat(halted.getString("state")).isEqualTo("HALTED");
        assertThat(halted.getString("reason")).contains("wave 1: 1 of 9 hosts failed");
        assertThat(halted.getInt("waves[2].counts.QUEUED")).as("the next wave never started").isEqualTo(40);
        assertThat(lab.fleet().host("lab-022").state().scheduler("sda")).isEqualTo("mq-deadline");

        lab.fleet().host("lab-003").faults().clear();
        lab.fleet().host("lab-022").faults().clear();
        lab.fleet().host("lab-077").faults().clear();
        given().post("/api/rollouts/" + id + "/retry-failed").then().statusCode(200);
        JsonPath done = LabFleetFixture.awaitState(id, Duration.ofSeconds(60), "SUCCEEDED", "FAILED", "HALTED");
        assertThat(done.getString("state")).isEqualTo("SUCCEEDED");
        JsonPath retried = given().get("/api/rollouts/" + id + "/hosts/lab-003").then().extract().jsonPath();
        assertThat(retried.getInt("task.attempt")).isEqualTo(2);
        assertThat(given().get("/api/rollouts/" + id + "/hosts/lab-002").then().extract().jsonPath().getInt("task.attempt"))
                .as("hosts that succeeded are not run again").isEqualTo(1);
        assertThat(lab.fleet().host("lab-003").state().scheduler("sda")).isEqualTo("none");
    }

    @Test
    void aHostOverThePlansTimeoutFailsWithTimeoutAndHaltsTheCanary() throws Exception {
        lab.fleet().host("lab-001").faults().hangOn = "sysctl";
        LabFleetFixture.savePlan("""
                name: slow-host
                steps:
                  - step: hugepages
                    params: {count: "64"}
                hostTimeout: 10s
                """);
        long id = LabFleetFixture.startRollout("slow-host", "rack=r1", "apply");
        JsonPath halted = LabFleetFixture.awaitState(id, Duration.ofSeconds(40), "HALTED", "SUCCEEDED", "FAILED");
        assertThat(halted.getString("state")).isEqualTo("HALTED");
        JsonPath host = given().get("/api/rollouts/" + id + "/hosts/lab-001").then().extract().jsonPath();
        assertThat(host.getString("task.errorKind")).isEqualTo("TIMEOUT");
        assertThat(host.getString("task.error")).contains("hostTimeout of 10 s");
        assertThat(host.getInt("task.attempt")).isEqualTo(1);
    }

    @Test
    void aPauseHoldsTheNextWaveUntilItsTimeHasCome() throws Exception {
        lab.fleet().hosts().forEach(h -> h.faults().clear());
        LabFleetFixture.savePlan("""
                name: paused
                steps:
                  - step: hugepages
                    params: {count: "128"}
                waves:
                  canary: 1
                  sizes: [100%]
                  pauseBetweenWaves: 4s
                """);
        long id = LabFleetFixture.startRollout("paused", "rack in (r3,r4)", "apply");
        long waited = System.nanoTime();
        JsonPath pausing = LabFleetFixture.awaitRollout(id, "wave 0 done and wave 1 opened", Duration.ofSeconds(30),
                r -> "SUCCEEDED".equals(r.getString("waves[0].state")) && "RUNNING".equals(r.getString("waves[1].state")));
        assertThat(pausing.getString("waves[1].state")).isEqualTo("RUNNING");
        assertThat(pausing.getString("waves[1].notBefore")).isNotNull();
        // Held by construction until its time: a wave whose time has not come is not open for claiming.
        assertThat(queue.openRollouts()).extracting(TaskQueue.OpenRollout::id).doesNotContain(id);
        assertThat(pausing.getInt("waves[1].counts.QUEUED")).as("held by the pause").isEqualTo(19);
        assertThat(LabFleetFixture.awaitState(id, Duration.ofSeconds(30), "SUCCEEDED").getString("state")).isEqualTo("SUCCEEDED");
        assertThat(Duration.ofNanos(System.nanoTime() - waited)).isGreaterThan(Duration.ofSeconds(4));
    }

    static String gatedPlan(String name, String scheduler) {
        return """
                name: %s
                preflight:
                  - check: fio-baseline
                    params: {device: nvme1n1, runtime: "1"}
                steps:
                  - step: io-scheduler
                    params: {device: nvme1n1, scheduler: %s}
                waves:
                  canary: 1
                  sizes: [100%%]
                  fioMaxDropPercent: 20
                """.formatted(name, scheduler);
    }

    @Test
    void theFioHealthGateRollsBackAHostWhoseIopsDropped() throws Exception {
        lab.fleet().hosts().forEach(h -> h.faults().clear());
        LabFleetFixture.savePlan(gatedPlan("gated-bfq", "bfq"));
        long id = LabFleetFixture.startRollout("gated-bfq", "rack=r5", "apply");
        JsonPath halted = LabFleetFixture.awaitState(id, Duration.ofSeconds(30), "HALTED", "SUCCEEDED", "FAILED");
        assertThat(halted.getString("state")).isEqualTo("HALTED");
        JsonPath canary = given().get("/api/rollouts/" + id + "/hosts/lab-041").then().extract().jsonPath();
        assertThat(canary.getString("task.state")).isEqualTo("ROLLED_BACK");
        assertThat(canary.getString("task.errorKind")).isEqualTo("HEALTH_GATE");
        assertThat(canary.getList("history.name")).contains("health:fio-baseline");
        JsonPath gate = LabFleetFixture.rollout(id);
        assertThat(gate.getList("waves[0].healthGate")).as("what whoever decides next reads").hasSize(1);
        assertThat(gate.getString("waves[0].healthGate[0].signal")).isEqualTo("fio-baseline");
        assertThat(gate.getInt("waves[0].healthGate[0].passed")).isZero();
        assertThat(gate.getInt("waves[0].healthGate[0].failed")).isEqualTo(1);
        assertThat(gate.getString("waves[0].healthGate[0].figure"))
                .isEqualTo("IOPS after the steps at worst 55% of the preflight's, on lab-041 (at least 80% required)");
        assertThat(lab.fleet().host("lab-041").state().scheduler("nvme1n1")).isEqualTo("none");

        LabFleetFixture.savePlan(gatedPlan("gated-deadline", "mq-deadline"));
        long healthy = LabFleetFixture.startRollout("gated-deadline", "rack=r6", "apply");
        assertThat(LabFleetFixture.awaitState(healthy, Duration.ofSeconds(30), "HALTED", "SUCCEEDED", "FAILED")
                .getString("state")).isEqualTo("SUCCEEDED");
    }

    @Test
    void checkModeReportsDriftWithoutChangingAnything() throws Exception {
        LabFleetFixture.savePlan(plan("sched-check", "nvme1n1", "0", "none").replace("scheduler: none", "scheduler: kyber"));
        long id = LabFleetFixture.startRollout("sched-check", "env=lab,rack in (r1,r2)", "check");
        JsonPath done = LabFleetFixture.awaitState(id, Duration.ofSeconds(60), "SUCCEEDED", "FAILED", "HALTED");
        assertThat(done.getMap("totals")).isEqualTo(Map.of("DRIFTED", 20));
        assertThat(lab.fleet().host("lab-001").state().scheduler("nvme1n1")).isEqualTo("none");
        JsonPath host = given().get("/api/rollouts/" + id + "/hosts/lab-001").then().extract().jsonPath();
        assertThat(host.getList("history.drift[0].desired")).contains("kyber");
        assertThat(host.getString("task.error")).as("the row's why: what the check found")
                .isEqualTo("io-scheduler: scheduler none (plan: kyber), rule differs");
    }

    /** The attempts of every task of one wave: 0 for a task never started. */
    private static List<Integer> attemptsOfWave(long id, int wave) {
        return given().get("/api/rollouts/" + id + "/hosts?size=500").then().statusCode(200).extract().jsonPath()
                .getList("items.findAll { it.wave == " + wave + " }.attempt", Integer.class);
    }
}
