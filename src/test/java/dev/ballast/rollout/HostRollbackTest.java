package dev.ballast.rollout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

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
import io.restassured.response.Response;

/**
 * Rolling one host back from the web: what one rollout changed on it is undone in reverse order and
 * checked against the captured state; asking twice starts nothing new; a busy host, an irreversible
 * step or a rollout that changed nothing is refused with its reason.
 */
@ApplicationTest
class HostRollbackTest {

    static final String RULE = "/etc/udev/rules.d/99-ballast-scheduler-nvme0n1.rules";
    static long rollout;

    @RegisterExtension
    static final QuarkusLab<LabFleet> lab = QuarkusLab.imported(4).onceStarted(fleet -> rollOutThreeSteps());

    static void rollOutThreeSteps() {
        LabFleetFixture.savePlan("""
                name: rollback-three
                steps:
                  - step: io-scheduler
                    params: {device: nvme0n1, scheduler: none}
                  - step: hugepages
                    params: {count: "512"}
                  - step: lvm-thin-pool
                    params: {device: nvme1n1, vg: vg_ballast, pool: tp_virt_data, size: 500G}
                waves: {canary: 1, sizes: [100%]}
                """);
        rollout = LabFleetFixture.startRollout("rollback-three", "env=lab", "apply");
        JsonPath done = LabFleetFixture.awaitState(rollout, Duration.ofSeconds(30), "SUCCEEDED", "FAILED", "HALTED");
        assertThat(done.getString("state")).as(() -> given().get("/api/rollouts/" + rollout + "/hosts").asString())
                .isEqualTo("SUCCEEDED");
    }

    @Test
    void restoresEveryStepLastFirstAndASecondRequestStartsNothingNew() throws Exception {
        HostState host = lab.fleet().host("lab-002").state();
        assertThat(host.scheduler("nvme0n1")).isEqualTo("none");
        assertThat(host.hugepages2m()).isEqualTo(512);

        JsonPath applied = given().get("/api/hosts/lab-002/rollback-points").then().statusCode(200).extract().jsonPath();
        assertThat(applied.getList("find { it.rollout == " + rollout + " }.points.find { it.step == 'io-scheduler' }.differs"))
                .as("what a rollback would change").contains("scheduler");

        Response started = rollBack("lab-002", rollout);
        started.then().statusCode(201).header("Location", containsString("/api/rollouts/"));
        long id = started.jsonPath().getLong("id");
        assertThat(started.jsonPath().getString("mode")).isEqualTo("ROLLBACK");
        JsonPath done = LabFleetFixture.awaitState(id, Duration.ofSeconds(30), "SUCCEEDED", "FAILED", "HALTED");
        assertThat(done.getString("state")).isEqualTo("SUCCEEDED");

        assertThat(host.scheduler("nvme0n1")).isEqualTo("mq-deadline");
        assertThat(host.file(RULE)).isNull();
        assertThat(host.hugepages2m()).isZero();
        JsonPath task = given().get("/api/rollouts/" + id + "/hosts/lab-002").then().statusCode(200).extract().jsonPath();
        assertThat(task.getList("history.name")).containsExactly("lvm-thin-pool", "hugepages", "io-scheduler");
        assertThat(task.getList("history.outcome")).containsOnly("ROLLED_BACK");
        JsonPath points = given().get("/api/hosts/lab-002/rollback-points").then().statusCode(200).extract().jsonPath();
        assertThat(points.getList("find { it.rollout == " + rollout + " }.points.state")).containsOnly("ROLLED_BACK");
        assertThat(points.getList("find { it.rollout == " + rollout + " }.points.seenIn", Long.class)).containsOnly(id);
        assertThat(points.getList("find { it.rollout == " + rollout + " }.points.differs.flatten()")).as("all back as captured").isEmpty();

        Response again = rollBack("lab-002", rollout);
        again.then().statusCode(200);
        assertThat(again.jsonPath().getLong("id")).isEqualTo(id);
        given().get("/api/audit?target=host/lab-002").then().statusCode(200)
                .body("action", org.hamcrest.Matchers.hasItem("host.rollback"));
    }

    @Test
    void anIrreversibleStepStopsTheRollbackBeforeAnythingElseIsTouched() throws Exception {
        HostState host = lab.fleet().host("lab-003").state();
        host.createThinVolume("vg_ballast", "tp_virt_data", "vm-new01", 100L << 30);

        long id = rollBack("lab-003", rollout).then().statusCode(201).extract().jsonPath().getLong("id");
        JsonPath done = LabFleetFixture.awaitState(id, Duration.ofSeconds(30), "SUCCEEDED", "FAILED", "HALTED");

        assertThat(done.getString("state")).isIn("FAILED", "HALTED");
        JsonPath task = given().get("/api/rollouts/" + id + "/hosts/lab-003").then().statusCode(200).extract().jsonPath();
        assertThat(task.getString("task.errorKind")).isEqualTo("REFUSED_IRREVERSIBLE");
        assertThat(task.getString("task.error")).contains("now holds thin volume(s) vm-new01");
        assertThat(host.scheduler("nvme0n1")).as("steps beneath the refused one stay").isEqualTo("none");
        assertThat(host.hugepages2m()).isEqualTo(512);
    }

    @Test
    void aBusyHostAndARolloutThatChangedNothingAreRefused() throws Exception {
        LabFleetFixture.savePlan("""
                name: rollback-check
                steps:
                  - step: io-scheduler
                    params: {device: nvme0n1, scheduler: none}
                waves: {canary: 1, sizes: [100%]}
                """);
        lab.fleet().host("lab-004").faults().commandLatency = Duration.ofMillis(1500);
        long check = LabFleetFixture.startRollout("rollback-check", "env=lab", "check");
        awaitTask(check, "lab-004", "RUNNING");
        rollBack("lab-004", rollout).then().statusCode(409).body("detail", containsString("lab-004 is busy: rollout " + check));
        LabFleetFixture.awaitState(check, Duration.ofSeconds(30), "SUCCEEDED", "FAILED");

        rollBack("lab-004", check).then().statusCode(409).body("detail", containsString("check mode"));
        rollBack("no-such-host", rollout).then().statusCode(404);
        given().contentType("application/json").body("{}").post("/api/hosts/lab-004/rollback").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("rollout"));
    }

    private static Response rollBack(String host, long source) {
        return given().contentType("application/json").body(Map.of("rollout", source)).post("/api/hosts/" + host + "/rollback");
    }

    private static void awaitTask(long rollout, String host, String state) {
        Poll.until(host + " is " + state + " in rollout " + rollout, Duration.ofSeconds(20),
                () -> given().get("/api/rollouts/" + rollout + "/hosts/" + host).then().extract().path("task.state"),
                state::equals);
    }
}
