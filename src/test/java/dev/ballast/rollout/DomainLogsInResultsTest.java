package dev.ballast.rollout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.ApplicationTest;
import dev.ballast.lab.LabFleet;
import dev.ballast.lab.Libvirt;
import dev.ballast.lab.QuarkusLab;
import io.restassured.path.json.JsonPath;

/**
 * A guest that should run and does not is explained by QEMU itself: the host's result keeps the end of the guest's
 * QEMU log, masked, and the host's "why" carries QEMU's error line. On lab-001, vm-1-1's root volume is refused to
 * QEMU (as a MAC policy would refuse it) and its restart fails.
 */
@ApplicationTest
class DomainLogsInResultsTest {

    @RegisterExtension
    static final QuarkusLab<LabFleet> lab = QuarkusLab.imported(1).onceStarted(fleet -> {
        Libvirt libvirt = fleet.host("lab-001").state().libvirt();
        libvirt.denyOpen("/dev/vg_storage/vm-1-1-root");
        assertThat(libvirt.restart(libvirt.uuidOf("vm-1-1"))).contains("Permission denied");
        LabFleetFixture.savePlan("""
                name: agents-then-cache
                preflight:
                  - check: guest-agent
                    params: {domain: all}
                steps:
                  - step: libvirt-disk-cache
                    params: {domain: vm-1-1}
                waves: {canary: 1, sizes: [100%]}
                """);
        LabFleetFixture.savePlan("""
                name: cache-only
                steps:
                  - step: libvirt-disk-cache
                    params: {domain: vm-1-1}
                waves: {canary: 1, sizes: [100%]}
                """);
    });

    private static final String QEMU_SAID = "Could not open '/dev/vg_storage/vm-1-1-root': Permission denied";

    @Test
    void aPreflightThatFindsAGuestWhoseStartFailedKeepsItsQemuLog() {
        long id = LabFleetFixture.startRollout("agents-then-cache", "env=lab", "apply");
        LabFleetFixture.awaitState(id, Duration.ofSeconds(30), "SUCCEEDED", "FAILED", "HALTED");
        JsonPath host = given().get("/api/rollouts/" + id + "/hosts/lab-001").then().statusCode(200).extract().jsonPath();

        assertThat(host.getString("task.state")).isEqualTo("FAILED");
        assertThat(host.getString("task.error")).contains("should be running, but is shut off (failed)")
                .contains("vm-1-1 is shut off (failed); QEMU: ").endsWith(QEMU_SAID);
        assertThat(host.getString("history[0].name")).isEqualTo("guest-agent");
        assertThat(host.getString("history[0].domainLogs[0].domain")).isEqualTo("vm-1-1");
        assertThat(host.getString("history[0].domainLogs[0].path")).isEqualTo("/var/log/libvirt/qemu/vm-1-1.log");
        List<String> lines = host.getList("history[0].domainLogs[0].lines");
        assertThat(lines).hasSizeLessThanOrEqualTo(30).last().asString().endsWith("shutting down, reason=failed");
        assertThat(lines.get(lines.size() - 2)).endsWith(QEMU_SAID);

        String page = given().get("/rollouts/" + id).then().statusCode(200).extract().asString();
        assertThat(page).as("the rollout page renders; its Why column comes from the task's error").isNotEmpty();
    }

    @Test
    void aDomainStepWhoseVerifyFindsTheGuestShutOffKeepsItsQemuLog() {
        long id = LabFleetFixture.startRollout("cache-only", "env=lab", "apply");
        LabFleetFixture.awaitState(id, Duration.ofSeconds(30), "SUCCEEDED", "FAILED", "HALTED");
        JsonPath host = given().get("/api/rollouts/" + id + "/hosts/lab-001").then().statusCode(200).extract().jsonPath();

        assertThat(host.getString("history[0].name")).isEqualTo("libvirt-disk-cache");
        assertThat(host.getString("history[0].detail")).contains("should be running: vm-1-1 is shut off (failed); QEMU: ");
        assertThat(host.getString("history[0].domainLogs[0].qemuSaid")).endsWith(QEMU_SAID);
        assertThat(host.getString("history[0].domainLogs[0].state")).isEqualTo("shut off (failed)");
    }
}
