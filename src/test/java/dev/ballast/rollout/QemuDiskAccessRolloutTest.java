package dev.ballast.rollout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.ApplicationTest;
import dev.ballast.lab.HostState;
import dev.ballast.lab.LabFleet;
import dev.ballast.lab.QuarkusLab;
import io.restassured.path.json.JsonPath;

/**
 * One plan for a mixed fleet: lab-002 runs SELinux (enforcing, vg_storage on dm-2 and dm-3), lab-008 AppArmor
 * with the same group. qemu-disk-access grants AppArmor's access on lab-008 and finds lab-002 compliant as it
 * is (sVirt labels each guest's disks; SELinux labels are never touched), in one rollout; the web rollback puts
 * lab-008's file back byte for byte and reloads its guest's profile, and has nothing to undo on lab-002.
 */
@ApplicationTest
class QemuDiskAccessRolloutTest {

    static final String LOCAL = "/etc/apparmor.d/local/abstractions/libvirt-qemu";

    @RegisterExtension
    static final QuarkusLab<LabFleet> lab = QuarkusLab.imported(8).onceStarted(fleet -> {
        for (String other : List.of("lab-001", "lab-003", "lab-004", "lab-005", "lab-006", "lab-007")) {
            given().delete("/api/hosts/" + other).then().statusCode(204);
        }
        LabFleetFixture.savePlan("""
                name: qemu-disk-access-mixed
                steps:
                  - step: qemu-disk-access
                    params: {vg: vg_storage}
                waves: {canary: 1, sizes: [100%]}
                """);
    });

    @Test
    void onePlanGrantsAppArmorHostsAndLeavesSelinuxHostsToSvirt() {
        HostState debian = lab.fleet().host("lab-008").state();
        HostState rhel = lab.fleet().host("lab-002").state();
        String shipped = debian.file(LOCAL);
        String vm81 = debian.libvirt().uuidOf("vm-8-1");

        long rollout = LabFleetFixture.startRollout("qemu-disk-access-mixed", "env=lab", "apply");
        JsonPath done = LabFleetFixture.awaitState(rollout, Duration.ofSeconds(30), "SUCCEEDED", "FAILED", "HALTED");
        assertThat(done.getString("state")).isEqualTo("SUCCEEDED");
        JsonPath granted = task(rollout, "lab-008");
        assertThat(granted.getString("task.state")).isEqualTo("SUCCEEDED");
        assertThat(granted.getString("history[0].outcome")).isEqualTo("APPLIED");
        assertThat(granted.getString("history[0].before.mac")).isEqualTo("apparmor");
        assertThat(debian.file(LOCAL)).startsWith(shipped).contains("/dev/vg_storage/* rw,\n/dev/dm-2 rw,\n/dev/dm-3 rw,\n");
        assertThat(debian.apparmorLoaded(vm81)).contains("/dev/dm-3 rw,");
        JsonPath svirt = task(rollout, "lab-002");
        assertThat(svirt.getString("task.state")).isEqualTo("ALREADY_COMPLIANT");
        assertThat(svirt.getMap("history[0].after")).containsEntry("mac", "selinux").containsEntry("selinux", "Enforcing");
        assertThat(rhel.fcontextType("/dev/vg_storage(/.*)?")).as("SELinux labels untouched").isEqualTo("fixed_disk_device_t");

        long rollback = given().contentType("application/json").body(Map.of("rollout", rollout))
                .post("/api/hosts/lab-008/rollback").then().statusCode(201).extract().jsonPath().getLong("id");
        JsonPath back = LabFleetFixture.awaitState(rollback, Duration.ofSeconds(30), "SUCCEEDED", "FAILED", "HALTED");
        assertThat(back.getString("state")).as(() -> task(rollback, "lab-008").prettify()).isEqualTo("SUCCEEDED");
        assertThat(debian.file(LOCAL)).isEqualTo(shipped);
        assertThat(debian.apparmorLoaded(vm81)).as("the running guest's profile reloaded without the grant").isEmpty();
        given().contentType("application/json").body(Map.of("rollout", rollout)).post("/api/hosts/lab-002/rollback")
                .then().statusCode(409);
    }

    private static JsonPath task(long rollout, String host) {
        return given().get("/api/rollouts/" + rollout + "/hosts/" + host).then().statusCode(200).extract().jsonPath();
    }
}
