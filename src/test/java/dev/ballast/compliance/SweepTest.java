package dev.ballast.compliance;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.ApplicationTest;
import dev.ballast.Poll;
import dev.ballast.jdbc.Jdbc;
import dev.ballast.lab.LabFleet;
import dev.ballast.lab.QuarkusLab;
import dev.ballast.queue.TaskQueue;
import dev.ballast.rollout.LabFleetFixture;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * Sweeps over lab hosts where some drifted: each run reports exactly those hosts, steps and facts, with
 * the run each has been drifted since; Quartz fires them on their cron schedule; remediation waits for
 * approval and then fixes only the drifted hosts.
 */
@ApplicationTest
class SweepTest {

    /** Once per class: the baseline applied to every host, approved after the canary. */
    @RegisterExtension
    static final QuarkusLab<LabFleet> lab = QuarkusLab.imported(6).onceStarted(fleet -> {
        LabFleetFixture.savePlan("""
                name: sweep-baseline
                steps:
                  - step: io-scheduler
                    params: {device: nvme0n1, scheduler: none}
                  - step: hugepages
                    params: {count: "256"}
                waves: {canary: 1, sizes: [100%], approval: after-canary}
                """);
        long apply = LabFleetFixture.startRollout("sweep-baseline", "env=lab", "apply");
        LabFleetFixture.awaitState(apply, Duration.ofSeconds(30), "AWAITING_APPROVAL");
        given().post("/api/rollouts/" + apply + "/approve").then().statusCode(200);
        LabFleetFixture.awaitState(apply, Duration.ofSeconds(30), "SUCCEEDED");
    });

    @Inject
    TaskQueue queue;

    /** Each test starts on a compliant fleet: the tests drift hosts on purpose. */
    @BeforeEach
    void compliantFleet() {
        lab.fleet().hosts().forEach(h -> {
            h.state().setScheduler("nvme0n1", "none");
            h.state().setHugepages2m(256);
        });
    }

    @Test
    void eachRunReportsExactlyTheDriftedHostsAndStepsAndSinceWhen() throws Exception {
        lab.fleet().host("lab-002").state().setScheduler("nvme0n1", "mq-deadline");
        lab.fleet().host("lab-005").state().setHugepages2m(0);
        long sweep = createSweep("nightly-baseline", "0 0 3 * * ?", false);

        JsonPath first = runAndAwait(sweep);
        assertThat(first.getInt("hosts")).isEqualTo(6);
        assertThat(first.getInt("driftedHosts")).isEqualTo(2);
        List<Map<String, Object>> drift = drift(sweep, first.getLong("id"));
        assertThat(drift).extracting(d -> d.get("host") + "/" + d.get("step") + "/" + d.get("fact") + ": "
                + d.get("desired") + " != " + d.get("actual"))
                .containsExactly("lab-002/io-scheduler/scheduler: none != mq-deadline", "lab-005/hugepages/pages: 256 != 0");
        assertThat(drift).extracting(d -> ((Number) d.get("sinceRun")).longValue()).containsOnly(first.getLong("id"));

        lab.fleet().host("lab-002").state().setScheduler("nvme0n1", "none");
        lab.fleet().host("lab-001").state().setScheduler("nvme0n1", "kyber");
        JsonPath second = runAndAwait(sweep);
        assertThat(drift(sweep, second.getLong("id"))).extracting(d -> d.get("host") + " since " + d.get("sinceRun"))
                .containsExactly("lab-001 since " + second.getLong("id"), "lab-005 since " + first.getLong("id"));

        assertThat(given().get("/api/sweeps/" + sweep + "/runs").then().statusCode(200).extract().jsonPath()
                .getList("drifts", Integer.class)).containsExactly(2, 2);
        assertThat(lab.fleet().host("lab-005").state().hugepages2m()).as("a sweep changes nothing").isZero();
        given().delete("/api/sweeps/" + sweep).then().statusCode(204);
    }

    @Test
    void quartzFiresTheCronScheduleAndRemediationWaitsForApproval() throws Exception {
        lab.fleet().host("lab-003").state().setScheduler("nvme0n1", "bfq");
        long sweep = createSweep("every-two-seconds", "*/2 * * * * ?", true);

        JsonPath run = awaitRun(sweep, Duration.ofSeconds(20), r -> r.get("remediationRollout") != null);
        given().delete("/api/sweeps/" + sweep).then().statusCode(204);
        assertThat(run.getInt("driftedHosts")).isEqualTo(1);
        long remediation = run.getLong("remediationRollout");
        JsonPath held = LabFleetFixture.rollout(remediation);
        assertThat(held.getString("state")).isEqualTo("AWAITING_APPROVAL");
        assertThat(held.getMap("totals")).containsExactly(Map.entry("QUEUED", 1));
        // Nothing changes before approval, by construction: a rollout awaiting approval is not open for
        // claiming, and its one task is queued and was never attempted.
        assertThat(queue.openRollouts()).extracting(TaskQueue.OpenRollout::id).doesNotContain(remediation);
        assertThat(given().get("/api/rollouts/" + remediation + "/hosts").then().statusCode(200).extract().jsonPath()
                .getList("items.attempt", Integer.class)).containsExactly(0);
        assertThat(lab.fleet().host("lab-003").state().scheduler("nvme0n1")).as("nothing changes before approval").isEqualTo("bfq");

        given().post("/api/rollouts/" + remediation + "/approve").then().statusCode(200);
        LabFleetFixture.awaitState(remediation, Duration.ofSeconds(20), "SUCCEEDED");
        assertThat(lab.fleet().host("lab-003").state().scheduler("nvme0n1")).isEqualTo("none");
    }

    @Inject
    SweepFiring firing;

    @Inject
    Jdbc jdbc;

    /** A firing while the previous run still checks hosts starts nothing, and is recorded SKIPPED (not FAILED). */
    @Test
    void aFiringWhileTheLastRunStillChecksIsRecordedSkipped() {
        long sweep = createSweep("overlapping", "0 0 4 * * ?", false);
        Instant first = Instant.parse("2026-11-02T04:00:00Z");
        long going = jdbc.one("insert into sweep_run (sweep_id, scheduled_for, state) values (?, ?, 'RUNNING') returning id",
                r -> r.getLong(1), sweep, first).orElseThrow();

        assertThat(firing.fire(sweep, first.plus(Duration.ofDays(1)))).isNull();

        JsonPath runs = given().get("/api/sweeps/" + sweep + "/runs").then().statusCode(200).extract().jsonPath();
        assertThat(runs.getList("state")).containsExactly("SKIPPED", "RUNNING");
        assertThat(runs.getString("[0].error")).isEqualTo("run " + going + " was still checking hosts");
        assertThat(runs.getString("[0].finishedAt")).isNotNull();
        given().delete("/api/sweeps/" + sweep).then().statusCode(204);
    }

    @Test
    void badSweepsAreProblemsNamingTheField() {
        Map<String, Object> good = Map.of("name", "valid-" + System.nanoTime(), "cron", "0 0 3 * * ?", "selector", "env=lab",
                "plan", "sweep-baseline");
        invalid(with(good, "cron", "every night"), "cron");
        invalid(with(good, "cron", "0 0 3 * *"), "cron");
        invalid(with(good, "timeZone", "Mars/Olympus"), "timeZone");
        invalid(with(good, "plan", "no-such-plan"), "plan");
        invalid(with(good, "selector", "rack in (r1"), "selector");
        invalid(with(good, "name", "Nightly Sweep"), "name");
        given().contentType("application/json").body(good).post("/api/sweeps").then().statusCode(201);
        given().contentType("application/json").body(good).post("/api/sweeps").then().statusCode(409)
                .body("detail", containsString("exists already"));
        given().get("/api/sweeps/999999").then().statusCode(404);
        given().get("/api/sweeps/abc").then().statusCode(400).body("errors[0].field", equalTo("id"));
    }

    /** PUT takes the create body: the schedule Quartz holds follows, bad input names its field, the change is audited. */
    @Test
    void editingASweepReplacesItsScheduleValidatedAndAudited() {
        long sweep = createSweep("to-edit", "0 0 3 * * ?", false);
        Map<String, Object> edited = Map.of("name", "edited", "cron", "0 30 5 1 1 ? 2099", "timeZone", "Europe/Paris",
                "selector", "env=lab,rack=r1", "plan", "sweep-baseline", "remediate", true);

        given().contentType("application/json").body(edited).put("/api/sweeps/" + sweep).then().statusCode(200)
                .body("name", equalTo("edited")).body("cron", equalTo("0 30 5 1 1 ? 2099")).body("remediate", equalTo(true))
                .body("nextRunAt", equalTo("2099-01-01T04:30:00Z"));
        assertThat(given().get("/api/sweeps/" + sweep).then().extract().jsonPath().getString("timeZone")).isEqualTo("Europe/Paris");
        JsonPath audit = given().get("/api/audit?target=sweep/edited").then().statusCode(200).extract().jsonPath();
        assertThat(audit.getString("[0].action")).isEqualTo("sweep.update");
        assertThat(audit.getString("[0].before.cron")).isEqualTo("0 0 3 * * ?");
        assertThat(audit.getString("[0].after.cron")).isEqualTo("0 30 5 1 1 ? 2099");
        assertThat(audit.getString("[0].after.name")).isEqualTo("edited");

        given().contentType("application/json").body(with(edited, "cron", "every night")).put("/api/sweeps/" + sweep).then()
                .statusCode(400).body("errors[0].field", equalTo("cron"));
        long other = createSweep("taken-name", "0 0 3 * * ?", false);
        given().contentType("application/json").body(with(edited, "name", "taken-name")).put("/api/sweeps/" + sweep).then()
                .statusCode(409);
        given().contentType("application/json").body(edited).put("/api/sweeps/999999").then().statusCode(404);
        given().delete("/api/sweeps/" + sweep).then().statusCode(204);
        given().delete("/api/sweeps/" + other).then().statusCode(204);
    }

    private static long createSweep(String name, String cron, boolean remediate) {
        return given().contentType("application/json").body(Map.of("name", name, "cron", cron, "selector", "env=lab",
                "plan", "sweep-baseline", "remediate", remediate)).post("/api/sweeps").then().statusCode(201)
                .extract().jsonPath().getLong("id");
    }

    private static JsonPath runAndAwait(long sweep) {
        long run = given().post("/api/sweeps/" + sweep + "/run").then().statusCode(202).extract().jsonPath().getLong("id");
        JsonPath ended = new JsonPath(Poll.until("run " + run + " of sweep " + sweep + " ended", Duration.ofSeconds(30),
                () -> given().get("/api/sweeps/" + sweep + "/runs/" + run).then().statusCode(200).extract().asString(),
                answer -> !new JsonPath(answer).getString("state").equals("RUNNING")));
        assertThat(ended.getString("state")).isEqualTo("DONE");
        return ended;
    }

    private static JsonPath awaitRun(long sweep, Duration timeout, Predicate<Map<String, Object>> wanted) {
        Map<String, Object> found = Poll.until("a run of sweep " + sweep + " as wanted", timeout,
                () -> given().get("/api/sweeps/" + sweep + "/runs").then().statusCode(200).extract().jsonPath()
                        .<Map<String, Object>>getList("$").stream()
                        .filter(r -> "DONE".equals(r.get("state")) && wanted.test(r)).findFirst(),
                Optional::isPresent).orElseThrow();
        return given().get("/api/sweeps/" + sweep + "/runs/" + found.get("id")).then().extract().jsonPath();
    }

    private static List<Map<String, Object>> drift(long sweep, long run) {
        return given().get("/api/sweeps/" + sweep + "/runs/" + run + "/drift").then().statusCode(200).extract().jsonPath()
                .getList("$");
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new java.util.HashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    private static void invalid(Map<String, Object> body, String field) {
        given().contentType("application/json").body(body).post("/api/sweeps").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo(field));
    }
}
