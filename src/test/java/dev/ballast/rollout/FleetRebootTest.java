package dev.ballast.rollout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.ApplicationTest;
import dev.ballast.lab.LabFleet;
import dev.ballast.lab.LabHost;
import dev.ballast.lab.QuarkusLab;
import io.restassured.path.json.JsonPath;

/**
 * The promise behind SUCCEEDED: a host it names stays right through its next reboot. Every step is rolled
 * out over sixteen lab hosts, the unkind ones among them (a nova guest, libvirt 7, no SELinux, a stacked
 * nvme0n1, an /etc/sysctl.conf that would undo the huge pages at boot); each host then reboots as a real one does, and a check-mode run of the same
 * plan finds COMPLIANT every host the rollout called SUCCEEDED, with every guest started again.
 */
@ApplicationTest
class FleetRebootTest {

    private static final String PLAN = """
            name: every-step-then-reboot
            steps:
              - step: io-scheduler
                params: {device: nvme0n1, scheduler: none}
              - step: hugepages
                params: {count: "8192"}
              - step: libvirt-disk-cache
                params: {domain: all}
              - step: virtio-scsi
                params: {domain: all, acceptUnknownGuests: "true"}
              - step: domain-hugepages
                params: {domain: all}
              - step: emulator-pinning
                params: {domain: all, cpuset: "5"}
              - step: iothread-pinning   # CPU 7 is offline on lab-008: refused there
                params: {domain: all, cpuset: "6-7"}
              - step: lvm-thin-pool
                params: {device: nvme1n1, vg: vg_lab, pool: tp_lab, size: 500G}
              - step: raw-disk-permissions
                params: {vg: vg_lab}
            waves: {canary: 1, sizes: [100%], maxWaveFailures: 100%, maxTotalFailures: 100%, onThreshold: continue}
            concurrency: 8
            """;

    @RegisterExtension
    static final QuarkusLab<LabFleet> lab = QuarkusLab.imported(16);

    @Test
    void everyHostCalledSucceededIsCompliantAfterItsReboot() {
        // An administrator's line from long ago, read after every sysctl.d file: the next boot would reserve no pages.
        lab.fleet().host("lab-006").state().writeByHand("/etc/sysctl.conf", "vm.swappiness = 10\nvm.nr_hugepages = 0\n");
        LabFleetFixture.savePlan(PLAN);
        long apply = LabFleetFixture.startRollout("every-step-then-reboot", "env=lab", "apply");
        LabFleetFixture.awaitState(apply, Duration.ofSeconds(120), "SUCCEEDED", "FAILED", "HALTED");
        Map<String, String> applied = states(apply);
        assertThat(applied).hasSize(16);
        assertThat(applied).as("some hosts take every step").containsValue("SUCCEEDED");
        assertThat(errorKinds(apply)).as("every failure has a reason, none is Ballast's own").doesNotContain("INTERNAL");
        System.out.println("every-step rollout over 16 lab hosts: " + applied);

        Map<String, List<String>> notStarted = new TreeMap<>();
        for (LabHost host : lab.fleet().hosts()) {
            List<String> errors = host.state().reboot();
            if (!errors.isEmpty()) {
                notStarted.put(host.name(), errors);
            }
        }
        assertThat(notStarted).as("guests that did not start again after the reboot").isEmpty();
        JsonPath lab6 = given().get("/api/rollouts/" + apply + "/hosts/lab-006").then().statusCode(200).extract().jsonPath();
        assertThat(lab6.getString("task.errorKind")).as(lab6.prettify()).isEqualTo("REFUSED_UNSAFE");
        assertThat(lab6.getString("task.error")).contains("/etc/sysctl.conf sets vm.nr_hugepages = 0");

        long check = LabFleetFixture.startRollout("every-step-then-reboot", "env=lab", "check");
        LabFleetFixture.awaitState(check, Duration.ofSeconds(120), "SUCCEEDED", "FAILED", "HALTED");
        Map<String, String> checked = states(check);
        applied.forEach((host, state) -> {
            if (state.equals("SUCCEEDED")) {
                assertThat(checked.get(host)).as(host + " after its reboot: " + given().get("/api/rollouts/" + check + "/hosts/" + host)
                        .asString()).isEqualTo("COMPLIANT");
            }
        });
    }

    private static Map<String, String> states(long rollout) {
        Map<String, String> states = new TreeMap<>();
        page(rollout).getList("items", Map.class).forEach(item -> states.put((String) item.get("host"), (String) item.get("state")));
        return states;
    }

    private static List<String> errorKinds(long rollout) {
        return page(rollout).getList("items.errorKind", String.class);
    }

    private static JsonPath page(long rollout) {
        return given().queryParam("size", "100").get("/api/rollouts/" + rollout + "/hosts").then().statusCode(200).extract().jsonPath();
    }
}
