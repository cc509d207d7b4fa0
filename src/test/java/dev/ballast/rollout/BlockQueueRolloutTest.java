package dev.ballast.rollout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.ApplicationTest;
import dev.ballast.lab.HostState;
import dev.ballast.lab.LabFleet;
import dev.ballast.lab.QuarkusLab;
import io.restassured.path.json.JsonPath;

/** block-queue through a rollout and a web rollback on the simulated fleet: both values and the rule file come back exactly. */
@ApplicationTest
class BlockQueueRolloutTest {

    static final String RULE = "/etc/udev/rules.d/99-ballast-tuning-queue-sda.rules";

    @RegisterExtension
    static final QuarkusLab<LabFleet> lab = QuarkusLab.imported(2);

    @Test
    void aRolloutDeepensTheQueueAndAWebRollbackPutsBackBothValuesAndNoRule() {
        HostState host = lab.fleet().host("lab-001").state();
        LabFleetFixture.savePlan("""
                name: queue-depth
                steps:
                  - step: block-queue
                    params: {device: sda, nrRequests: "256", readAheadKb: "1024"}
                waves: {canary: 1, sizes: [100%]}
                """);
        long apply = LabFleetFixture.startRollout("queue-depth", "env=lab", "apply");
        assertThat(LabFleetFixture.awaitState(apply, Duration.ofSeconds(60), "SUCCEEDED", "FAILED", "HALTED").getString("state"))
                .isEqualTo("SUCCEEDED");
        assertThat(host.file("/sys/block/sda/queue/nr_requests")).isEqualTo("256\n");
        assertThat(host.file("/sys/block/sda/queue/read_ahead_kb")).isEqualTo("1024\n");
        assertThat(host.file(RULE)).contains("ATTR{queue/nr_requests}=\"256\"");

        long rollback = given().contentType("application/json").body(Map.of("rollout", apply))
                .post("/api/hosts/lab-001/rollback").then().statusCode(201).extract().jsonPath().getLong("id");
        JsonPath back = LabFleetFixture.awaitState(rollback, Duration.ofSeconds(60), "SUCCEEDED", "FAILED", "HALTED");
        assertThat(back.getString("state")).isEqualTo("SUCCEEDED");
        assertThat(host.file("/sys/block/sda/queue/nr_requests")).isEqualTo("64\n");
        assertThat(host.file("/sys/block/sda/queue/read_ahead_kb")).isEqualTo("128\n");
        assertThat(host.file(RULE)).as("the rule Ballast wrote is gone").isNull();
    }
}
