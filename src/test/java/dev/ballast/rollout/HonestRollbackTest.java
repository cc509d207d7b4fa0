package dev.ballast.rollout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.ApplicationTest;
import dev.ballast.Poll;
import dev.ballast.lab.HostState;
import dev.ballast.lab.LabFleet;
import dev.ballast.lab.QuarkusLab;
import io.restassured.path.json.JsonPath;

/**
 * Hosts as unkind as real ones, and rollback that is total and honest: a stacked device (no scheduler of
 * its own, writes ignored) is refused before anything is written; a step's rollback that fails keeps no
 * step before it from being rolled back; a connection that breaks after a change is made again to roll
 * the change back, and where it cannot be, the task says which changes wait in their rollback points.
 */
@ApplicationTest
class HonestRollbackTest {

    static final String RULE = "/etc/udev/rules.d/99-ballast-scheduler-sda.rules";

    @RegisterExtension
    static final QuarkusLab<LabFleet> lab = QuarkusLab.imported(12);

    @Test
    void aStackedDeviceIsRefusedBeforeAnythingIsWrittenAndTheStepsBeforeItAreRolledBack() throws Exception {
        LabFleetFixture.savePlan("""
                name: stacked-devices
                steps:
                  - step: hugepages
                    params: {count: "96"}
                  - step: io-scheduler
                    params: {device: nvme2n1, scheduler: none}
                waves: {canary: 1, sizes: [100%], onThreshold: continue}
                """);
        HostState state = lab.fleet().host("lab-004").state();
        long pagesBefore = state.hugepages2m();
        long id = LabFleetFixture.startRollout("stacked-devices", "rack=r1", "apply");
        JsonPath done = LabFleetFixture.awaitState(id, Duration.ofSeconds(30), "FAILED", "SUCCEEDED", "HALTED");
        assertThat(done.getMap("totals")).isEqualTo(Map.of("ROLLED_BACK", 10));
        JsonPath host = task(id, "lab-004");
        assertThat(host.getString("task.errorKind")).isEqualTo("REFUSED_NOT_APPLICABLE");
        assertThat(host.getString("task.error")).contains("nvme2n1 has no I/O scheduler of its own", "tune the devices beneath it");
        assertThat(host.getList("history.outcome")).containsExactly("APPLIED", "REFUSED_NOT_APPLICABLE", "ROLLED_BACK");
        assertThat(state.hugepages2m()).isEqualTo(pagesBefore);
        assertThat(state.file("/etc/udev/rules.d/99-ballast-scheduler-nvme2n1.rules")).isNull();

        LabFleetFixture.savePlan("""
                name: stacked-check
                steps:
                  - step: io-scheduler
                    params: {device: dm-0, scheduler: none}
                """);
        long check = LabFleetFixture.startRollout("stacked-check", "rack=r1", "check");
        JsonPath checked = LabFleetFixture.awaitState(check, Duration.ofSeconds(30), "SUCCEEDED", "FAILED", "HALTED");
        assertThat(checked.getMap("totals")).isEqualTo(Map.of("COMPLIANT", 10));
        assertThat(task(check, "lab-001").getList("history.outcome")).containsExactly("NOT_APPLICABLE");
    }

    @Test
    void aWebRollbackGoesOnPastAStepItCannotRestoreAndSaysWhatIsNotBack() throws Exception {
        long id = applyHugepagesAndScheduler("web-rollback-total", "lab-005");
        HostState state = lab.fleet().host("lab-005").state();
        assertThat(state.hugepages2m()).isEqualTo(80);

        lab.fleet().host("lab-005").faults().failOn = "udevadm";
        long rollback = given().contentType("application/json").body(Map.of("rollout", id))
                .post("/api/hosts/lab-005/rollback").then().statusCode(201).extract().jsonPath().getLong("id");
        LabFleetFixture.awaitState(rollback, Duration.ofSeconds(30), "FAILED", "SUCCEEDED", "HALTED");

        JsonPath task = task(rollback, "lab-005");
        assertThat(task.getString("task.state")).isEqualTo("FAILED");
        assertThat(task.getString("task.errorKind")).isEqualTo("COMMAND_FAILED");
        assertThat(task.getString("task.error")).startsWith("rolled back: hugepages; not rolled back: io-scheduler (");
        assertThat(task.getList("history.outcome")).containsExactly("ROLLBACK_FAILED", "ROLLED_BACK");
        assertThat(state.hugepages2m()).as("the step before the failed one is restored").isZero();

        lab.fleet().host("lab-005").faults().clear();
        long again = given().contentType("application/json").body(Map.of("rollout", id))
                .post("/api/hosts/lab-005/rollback").then().statusCode(201).extract().jsonPath().getLong("id");
        assertThat(LabFleetFixture.awaitState(again, Duration.ofSeconds(30), "FAILED", "SUCCEEDED", "HALTED")
                .getString("state")).isEqualTo("SUCCEEDED");
        assertThat(task(again, "lab-005").getList("history.name")).containsExactly("io-scheduler");
        assertThat(state.scheduler("sda")).isEqualTo("mq-deadline");
        assertThat(state.file(RULE)).isNull();
    }

    @Test
    void aConnectionThatBreaksAfterAChangeIsMadeAgainToRollTheChangeBack() throws Exception {
        lab.fleet().host("lab-006").faults().dropOnceOn = "udevadm";
        long id = applyHugepagesAndScheduler("reconnect-rollback", "lab-006");
        JsonPath task = task(id, "lab-006");
        assertThat(task.getString("task.state")).isEqualTo("ROLLED_BACK");
        assertThat(task.getString("task.errorKind")).isEqualTo("CONNECTION_LOST");
        assertThat(task.getString("task.error")).startsWith("io-scheduler: ").endsWith("(after reconnecting)");
        assertThat(task.getList("history.outcome")).containsExactly("APPLIED", "FAILED", "ROLLED_BACK", "ROLLED_BACK");
        HostState state = lab.fleet().host("lab-006").state();
        assertThat(state.hugepages2m()).isZero();
        assertThat(state.scheduler("sda")).isEqualTo("mq-deadline");
        assertThat(state.file(RULE)).isNull();
    }

    @Test
    void aHostThatCannotBeReachedAgainSaysWhichChangesWaitAndIsRolledBackFromTheWebLater() throws Exception {
        HostState state = lab.fleet().host("lab-011").state();
        lab.fleet().host("lab-011").faults().dropOnceOn = "udevadm";
        lab.fleet().host("lab-011").faults().commandLatency = Duration.ofMillis(200);
        LabFleetFixture.savePlan(hugepagesAndScheduler("unreachable-after-change"));
        long id = LabFleetFixture.startRollout("unreachable-after-change", "rack=r2", "apply");
        // Logged in and changing the host: from now on the host refuses Ballast's key, as after a rebuild.
        Poll.until("lab-011 has its huge pages", Duration.ofSeconds(20), () -> state.hugepages2m() == 80);
        lab.fleet().host("lab-011").faults().refuseLogin = true;
        LabFleetFixture.awaitState(id, Duration.ofSeconds(30), "FAILED", "SUCCEEDED", "HALTED");

        JsonPath task = task(id, "lab-011");
        assertThat(task.getString("task.state")).isEqualTo("FAILED");
        assertThat(task.getString("task.errorKind")).isEqualTo("CONNECTION_LOST");
        assertThat(task.getString("task.error")).contains("changed and not rolled back: io-scheduler, hugepages wait in their "
                + "rollback points");
        assertThat(state.hugepages2m()).isEqualTo(80);

        lab.fleet().host("lab-011").faults().clear();
        long rollback = given().contentType("application/json").body(Map.of("rollout", id))
                .post("/api/hosts/lab-011/rollback").then().statusCode(201).extract().jsonPath().getLong("id");
        assertThat(LabFleetFixture.awaitState(rollback, Duration.ofSeconds(30), "FAILED", "SUCCEEDED", "HALTED")
                .getString("state")).isEqualTo("SUCCEEDED");
        assertThat(state.hugepages2m()).isZero();
        assertThat(state.file(RULE)).isNull();
    }

    @Test
    void aPlanThatWouldStarveAHostOrLeaveGuestsUnbootableHaltsAtTheCanaryWithNothingChanged() throws Exception {
        for (String[] plan : new String[][] {
                {"starve-the-host", "hugepages", "{count: \"500000\"}", "pages of 2M take"},
                {"guests-without-pages", "domain-hugepages", "{domain: all}", "pages short, so they would not start again"}}) {
            LabFleetFixture.savePlan("""
                    name: %s
                    steps:
                      - step: %s
                        params: %s
                    waves: {canary: 1, sizes: [100%%]}
                    """.formatted(plan[0], plan[1], plan[2]));
            String before = lab.fleet().host("lab-001").state().libvirt().inactiveXml(
                    lab.fleet().host("lab-001").state().libvirt().uuidOf("vm-1-1"));
            long pages = lab.fleet().host("lab-001").state().hugepages2m();
            long id = LabFleetFixture.startRollout(plan[0], "rack=r1", "apply");
            JsonPath halted = LabFleetFixture.awaitState(id, Duration.ofSeconds(30), "HALTED", "FAILED", "SUCCEEDED");
            assertThat(halted.getString("state")).as(plan[0]).isEqualTo("HALTED");
            assertThat(halted.getString("waves[1].state")).isEqualTo("PENDING");
            assertThat(halted.getInt("waves[1].counts.QUEUED")).as("nothing reaches the next wave").isEqualTo(9);
            JsonPath canary = task(id, "lab-001");
            assertThat(canary.getString("task.errorKind")).isEqualTo("REFUSED_UNSAFE");
            assertThat(canary.getString("task.error")).contains(plan[3]);
            assertThat(lab.fleet().host("lab-001").state().hugepages2m()).isEqualTo(pages);
            assertThat(lab.fleet().host("lab-001").state().libvirt().inactiveXml(
                    lab.fleet().host("lab-001").state().libvirt().uuidOf("vm-1-1"))).isEqualTo(before);
            given().post("/api/rollouts/" + id + "/cancel").then().statusCode(200);
        }
    }

    private static String hugepagesAndScheduler(String name) {
        return """
                name: %s
                steps:
                  - step: hugepages
                    params: {count: "80"}
                  - step: io-scheduler
                    params: {device: sda, scheduler: none}
                waves: {canary: 1, sizes: [100%%], onThreshold: continue}
                """.formatted(name);
    }

    /** Applies hugepages and the sda scheduler to one host, and answers the rollout once it ended. */
    private static long applyHugepagesAndScheduler(String plan, String host) throws Exception {
        LabFleetFixture.savePlan(hugepagesAndScheduler(plan));
        long id = LabFleetFixture.startRollout(plan, "rack=r1,zone=" + (Integer.parseInt(host.substring(4)) % 2 == 1 ? "a" : "b"),
                "apply");
        LabFleetFixture.awaitState(id, Duration.ofSeconds(30), "FAILED", "SUCCEEDED", "HALTED");
        return id;
    }

    private static JsonPath task(long id, String host) {
        return given().get("/api/rollouts/" + id + "/hosts/" + host).then().statusCode(200).extract().jsonPath();
    }
}
