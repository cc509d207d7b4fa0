package dev.ballast.rollout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.ApplicationTest;
import dev.ballast.lab.LabFleet;
import dev.ballast.lab.Libvirt;
import dev.ballast.lab.QuarkusLab;
import io.restassured.path.json.JsonPath;

/**
 * The pinning steps through a rollout and a web rollback on the simulated fleet: the overlap warning and the
 * pending restart reach the host's history, and the rollback restores the pins live and the persistent XML exactly.
 * lab-002 has 8 CPUs and pins vm-2-1's vCPUs to CPUs 2 and 3.
 */
@ApplicationTest
class PinningRolloutTest {

    private static final String PLAN = """
            name: pin-then-roll-back
            steps:
              - step: emulator-pinning
                params: {domain: all, cpuset: "3"}
              - step: iothread-pinning
                params: {domain: all, cpuset: "4"}
            waves: {canary: 1, sizes: [100%]}
            """;

    @RegisterExtension
    static final QuarkusLab<LabFleet> lab = QuarkusLab.imported(2);

    @Test
    void warnsShowsWhatWaitsForAColdStartAndAWebRollbackRestoresLiveAndPersistentPins() {
        Libvirt libvirt = lab.fleet().host("lab-002").state().libvirt();
        String vm1 = libvirt.uuidOf("vm-2-1");
        String vm2 = libvirt.uuidOf("vm-2-2");
        String persistent1 = libvirt.inactiveXml(vm1);
        String persistent2 = libvirt.inactiveXml(vm2);
        String live1 = libvirt.liveXml(vm1);
        LabFleetFixture.savePlan(PLAN);
        long apply = LabFleetFixture.startRollout("pin-then-roll-back", "env=lab", "apply");
        LabFleetFixture.awaitState(apply, Duration.ofSeconds(60), "SUCCEEDED", "FAILED", "HALTED");

        JsonPath host = task(apply, "lab-002");
        assertThat(host.getString("task.state")).as(host.prettify()).isEqualTo("SUCCEEDED");
        assertThat(host.getString("history.find { it.name == 'emulator-pinning' }.detail"))
                .startsWith("WARNING: cpuset 3 overlaps the vCPU pins of vm-2-1 vcpu 1 on 3");
        assertThat(host.getString("history.find { it.name == 'iothread-pinning' }.detail"))
                .contains("next cold start").contains("vm-2-1");
        assertThat(libvirt.liveXml(vm1)).contains("<emulatorpin cpuset='3'/>").contains("<iothreadpin iothread='1' cpuset='4'/>");
        assertThat(libvirt.inactiveXml(vm2)).contains("emulatorpin");

        long rollback = given().contentType("application/json").body(Map.of("rollout", apply))
                .post("/api/hosts/lab-002/rollback").then().statusCode(201).extract().jsonPath().getLong("id");
        JsonPath back = LabFleetFixture.awaitState(rollback, Duration.ofSeconds(60), "SUCCEEDED", "FAILED", "HALTED");
        assertThat(back.getString("state")).as(() -> task(rollback, "lab-002").prettify()).isEqualTo("SUCCEEDED");
        assertThat(task(rollback, "lab-002").getList("history.name")).containsExactly("iothread-pinning", "emulator-pinning");
        assertThat(libvirt.inactiveXml(vm1)).isEqualTo(persistent1);
        assertThat(libvirt.inactiveXml(vm2)).isEqualTo(persistent2);
        assertThat(libvirt.liveXml(vm1)).as("no I/O thread left, the emulator back on every online CPU")
                .isEqualTo(live1.replace("    <vcpupin vcpu='1' cpuset='3'/>\n",
                        "    <vcpupin vcpu='1' cpuset='3'/>\n    <emulatorpin cpuset='0-7'/>\n"));
    }

    private static JsonPath task(long id, String host) {
        return given().get("/api/rollouts/" + id + "/hosts/" + host).then().statusCode(200).extract().jsonPath();
    }
}
