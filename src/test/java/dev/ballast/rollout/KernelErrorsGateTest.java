package dev.ballast.rollout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.ApplicationTest;
import dev.ballast.lab.LabFleet;
import dev.ballast.lab.QuarkusLab;
import io.restassured.path.json.JsonPath;

/**
 * The health gate reads the kernel log again after a host's steps: a host whose nvme0 starts timing out
 * under the change fails the gate and is rolled back; a host whose log stayed quiet passes.
 */
@ApplicationTest
class KernelErrorsGateTest {

    @RegisterExtension
    static final QuarkusLab<LabFleet> lab = QuarkusLab.imported(2);

    @Test
    void newIoTimeoutsAfterTheStepsFailTheHostAndRollItBack() {
        lab.fleet().host("lab-002").faults().kernelTimeoutOn = "tee";
        try {
            LabFleetFixture.savePlan("""
                    name: gated-by-the-kernel-log
                    preflight:
                      - check: kernel-io-errors
                    steps:
                      - step: io-scheduler
                        params: {device: nvme0n1, scheduler: none}
                    waves: {canary: 2, maxWaveFailures: 1, healthGate: [kernel-io-errors]}
                    """);
            long rollout = LabFleetFixture.startRollout("gated-by-the-kernel-log", "env=lab", "apply");
            LabFleetFixture.awaitState(rollout, Duration.ofSeconds(30), "SUCCEEDED", "FAILED", "HALTED");

            JsonPath quiet = host(rollout, "lab-001");
            assertThat(quiet.getString("task.state")).isEqualTo("SUCCEEDED");
            assertThat(quiet.getString("history.find { it.name == 'health:kernel-io-errors' }.outcome")).isEqualTo("PASSED");
            assertThat(quiet.getString("history.find { it.name == 'health:kernel-io-errors' }.detail"))
                    .startsWith("0 I/O errors logged after 11.403117 s of this boot");

            JsonPath failing = host(rollout, "lab-002");
            assertThat(failing.getString("task.state")).isEqualTo("ROLLED_BACK");
            assertThat(failing.getString("task.errorKind")).isEqualTo("HEALTH_GATE");
            assertThat(failing.getString("task.error")).contains("2 I/O errors (nvme0 2)",
                    "[   12.403117] kernel: nvme nvme0: I/O 7 QID 2 timeout, aborting");
            assertThat(failing.getList("history.findAll { it.kind == 'ROLLBACK' }.outcome")).containsExactly("ROLLED_BACK");
            assertThat(lab.fleet().host("lab-002").state().file("/sys/block/nvme0n1/queue/scheduler")).contains("[mq-deadline]");
            JsonPath canary = LabFleetFixture.rollout(rollout);
            assertThat(canary.getString("waves[0].healthGate[0].signal")).isEqualTo("kernel-io-errors");
            assertThat(canary.getInt("waves[0].healthGate[0].passed")).isEqualTo(1);
            assertThat(canary.getInt("waves[0].healthGate[0].failed")).isEqualTo(1);
            assertThat(canary.getString("waves[0].healthGate[0].figure")).isEqualTo("2 new I/O errors on 1 host");
        } finally {
            lab.fleet().host("lab-002").faults().clear();
        }
    }

    @Test
    void aGateSignalWithoutItsPreflightCheckIsRefusedNamingIt() {
        given().contentType("text/plain").body("""
                name: gate-without-preflight
                steps:
                  - step: io-scheduler
                    params: {device: nvme0n1}
                waves: {healthGate: [kernel-io-errors, dmesg]}
                """).post("/api/plans").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItems("waves.healthGate[1]", "waves.healthGate[0]"));
    }

    private static JsonPath host(long rollout, String name) {
        return given().get("/api/rollouts/" + rollout + "/hosts/" + name).then().statusCode(200).extract().jsonPath();
    }
}
