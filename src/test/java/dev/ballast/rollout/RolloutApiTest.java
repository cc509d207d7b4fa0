package dev.ballast.rollout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.ballast.ApplicationTest;
import dev.ballast.Poll;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The rollout API's answers to bad requests and to controls that do not fit the rollout's state. Workers
 * are off, so a rollout stays exactly where the test puts it.
 */
@ApplicationTest
@TestProfile(RolloutApiTest.NoWorkers.class)
class RolloutApiTest {

    public static class NoWorkers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ballast.workers.enabled", "false");
        }
    }

    private static io.restassured.response.ValidatableResponse create(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/rollouts").then();
    }

    @Test
    void badRequestsNameTheirField() {
        given().contentType("application/yaml").body("name: api-plan\nsteps:\n  - step: hugepages\n    params: {count: \"8\"}\n"
                .getBytes()).post("/api/plans").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("name", "api-host.lab", "address", "127.0.0.1",
                "labels", Map.of("env", "api"))).post("/api/hosts").then().statusCode(201);

        create(Map.of("selector", "env=api", "mode", "apply")).statusCode(400).body("errors[0].field", equalTo("plan"));
        create(Map.of("plan", "Not A Name", "selector", "env=api", "mode", "apply")).statusCode(400)
                .body("errors[0].field", equalTo("name"));
        create(Map.of("plan", "no-such-plan", "selector", "env=api", "mode", "apply")).statusCode(404);
        create(Map.of("plan", "api-plan", "selector", "env=(", "mode", "apply")).statusCode(400)
                .body("errors[0].field", equalTo("selector"));
        create(Map.of("plan", "api-plan", "selector", "env=nowhere", "mode", "apply")).statusCode(400)
                .body("errors[0].field", equalTo("selector"));
        create(Map.of("plan", "api-plan", "selector", "env=api", "mode", "destroy")).statusCode(400)
                .body("errors[0].field", equalTo("mode"));
        create(Map.of("plan", "api-plan", "planVersion", 9, "selector", "env=api", "mode", "apply")).statusCode(404);
        given().contentType(ContentType.JSON).body("{\"plan\": 5, \"selector\": []}").post("/api/rollouts").then().statusCode(400);

        given().get("/api/rollouts/abc").then().statusCode(400).body("errors[0].field", equalTo("id"));
        given().get("/api/rollouts/999999").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/rollouts?state=SIDEWAYS").then().statusCode(400).body("errors[0].field", equalTo("state"));
        given().get("/api/rollouts/1/hosts?state=nope").then().statusCode(400);
    }

    /**
     * A tool that changes fleets never guesses what to do or where: no mode, no selector, no rollout; and a
     * dry run answers the waves it would make, host by host, changing nothing.
     */
    @Test
    void aRolloutNeedsAModeAndASelectorAndEveryHostIsSaidExplicitly() {
        given().contentType("application/yaml").body("name: api-guess\nsteps:\n  - step: hugepages\n    params: {count: \"8\"}\n"
                .getBytes()).post("/api/plans").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("name", "api-guess.lab", "address", "127.0.0.1",
                "labels", Map.of("env", "guess"))).post("/api/hosts").then().statusCode(201);

        create(Map.of("plan", "api-guess", "selector", "env=guess")).statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("mode")).body("errors[0].message", containsString("apply"));
        create(Map.of("plan", "api-guess", "mode", "apply")).statusCode(400)
                .body("errors[0].field", equalTo("selector")).body("errors[0].message", containsString("*"));
        create(Map.of("plan", "api-guess", "selector", " ", "mode", "check")).statusCode(400)
                .body("errors[0].field", equalTo("selector"));
        given().contentType(ContentType.JSON).body("{\"plan\": \"api-guess\", \"selector\": \"env=guess\", \"mode\": \"check\", "
                + "\"mode\": \"apply\"}").post("/api/rollouts").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].message", containsString("Duplicate field 'mode'"));
        given().contentType(ContentType.JSON).body(Map.of("plan", "api-guess", "selector", "env=guess", "mode", "apply"))
                .post("/api/rollouts?dryRun=true").then().statusCode(200).body("hosts", equalTo(1))
                .body("waves", contains(contains("api-guess.lab"))).body("mode", equalTo("APPLY"));
        given().contentType(ContentType.JSON).body(Map.of("plan", "api-guess", "selector", "env=guess"))
                .post("/api/rollouts?dryRun=true").then().statusCode(400).body("errors[0].field", equalTo("mode"));
        given().contentType(ContentType.JSON).body(Map.of("plan", "api-guess", "selector", "env=guess", "mode", "apply"))
                .post("/api/rollouts?dryRun=maybe").then().statusCode(400).body("errors[0].field", equalTo("dryRun"));
        assertThat(given().get("/api/rollouts?size=500").then().statusCode(200).extract().jsonPath().getList("plan"))
                .as("nothing started, a dry run included").doesNotContain("api-guess");

        create(Map.of("plan", "api-guess", "selector", "*", "mode", "check")).statusCode(201).body("selector", equalTo("*"));
    }

    @Test
    void aPlanThatAcceptsARiskIsAuditedWithItsVersionAndWhoStartedIt() {
        given().contentType("application/yaml").body("""
                name: api-accepting
                steps:
                  - step: virtio-scsi
                    params: {domain: all, acceptUnknownGuests: "true"}
                """.getBytes()).post("/api/plans").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("name", "api-host4.lab", "address", "127.0.0.1",
                "labels", Map.of("env", "api4"))).post("/api/hosts").then().statusCode(201);
        long id = create(Map.of("plan", "api-accepting", "selector", "env=api4", "mode", "apply")).statusCode(201)
                .extract().jsonPath().getLong("id");
        given().get("/api/audit?target=rollout/" + id).then().statusCode(200)
                .body("find { it.action == 'rollout.create' }.after.accepts", contains("virtio-scsi: acceptUnknownGuests"))
                .body("find { it.action == 'rollout.create' }.after.planVersion", equalTo(1))
                .body("find { it.action == 'rollout.create' }.actor", equalTo("token:bootstrap"));
    }

    @Test
    void controlsRefuseWhatTheStateDoesNotAllow() throws Exception {
        given().contentType("application/yaml").body("name: api-plan2\nsteps:\n  - step: hugepages\n    params: {count: \"8\"}\n"
                .getBytes()).post("/api/plans").then().statusCode(201);
        for (String host : new String[] {"api-host2.lab", "api-host3.lab"}) {
            given().contentType(ContentType.JSON).body(Map.of("name", host, "address", "127.0.0.1",
                    "labels", Map.of("env", "api2"))).post("/api/hosts").then().statusCode(201);
        }
        long id = create(Map.of("plan", "api-plan2", "selector", "env=api2", "mode", "apply")).statusCode(201)
                .body("waves.state", contains("RUNNING", "PENDING")).extract().jsonPath().getLong("id");

        given().post("/api/rollouts/" + id + "/approve").then().statusCode(409).contentType("application/problem+json");
        given().post("/api/rollouts/" + id + "/resume").then().statusCode(409);
        given().post("/api/rollouts/" + id + "/pause").then().statusCode(200).body("state", equalTo("PAUSED"));
        given().post("/api/rollouts/" + id + "/cancel").then().statusCode(200).body("state", equalTo("CANCELLED"))
                .body("waves.state", everyItem(equalTo("CANCELLED")));
        given().post("/api/rollouts/" + id + "/resume").then().statusCode(409);
        given().post("/api/rollouts/" + id + "/retry-failed").then().statusCode(409);
        given().get("/api/rollouts?state=CANCELLED").then().statusCode(200).body("id", hasItem((int) id));
    }

    /** A cancelled rollout ends its open wave and the waves to come, as GET shows it afterwards. */
    @Test
    void cancelEndsTheRunningWaveAndThoseStillPending() {
        given().contentType("application/yaml").body(("name: api-plan3\nsteps:\n  - step: hugepages\n    params: {count: \"8\"}\n"
                + "waves: {canary: 1, sizes: [50%, 100%]}\n").getBytes()).post("/api/plans").then().statusCode(201);
        for (int i = 1; i <= 4; i++) {
            given().contentType(ContentType.JSON).body(Map.of("name", "api-host" + i + ".cancel", "address", "127.0.0.1",
                    "labels", Map.of("env", "api3"))).post("/api/hosts").then().statusCode(201);
        }
        long id = create(Map.of("plan", "api-plan3", "selector", "env=api3", "mode", "apply")).statusCode(201)
                .body("waves.state", contains("RUNNING", "PENDING", "PENDING")).extract().jsonPath().getLong("id");

        given().post("/api/rollouts/" + id + "/cancel").then().statusCode(200);

        given().get("/api/rollouts/" + id).then().statusCode(200)
                .body("state", equalTo("CANCELLED"))
                .body("waves.state", contains("CANCELLED", "CANCELLED", "CANCELLED"))
                .body("totals", equalTo(Map.of("CANCELLED", 4)));
    }

    /**
     * A host deleted while a rollout that chose it is being written (the delete committing after the selector
     * read the host, before the task's row referred to it): a 409 that says so, nothing created, never a 500.
     */
    @Test
    void aHostDeletedWhileTheRolloutIsWrittenIsAConflictAndNothingIsCreated() throws Exception {
        given().contentType("application/yaml").body("name: race-plan\nsteps:\n  - step: hugepages\n    params: {count: \"8\"}\n"
                .getBytes()).post("/api/plans").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("name", "race-host.lab", "address", "127.0.0.1",
                "labels", Map.of("env", "race"))).post("/api/hosts").then().statusCode(201);
        DataSource db = Arc.container().instance(DataSource.class).get();
        try (Connection deleting = db.getConnection(); Connection watching = db.getConnection()) {
            deleting.setAutoCommit(false);
            try (Statement delete = deleting.createStatement()) {
                assertThat(delete.executeUpdate("delete from host where name = 'race-host.lab'")).isOne();
            }
            CompletableFuture<Response> creating = CompletableFuture.supplyAsync(() -> given().contentType(ContentType.JSON)
                    .body(Map.of("plan", "race-plan", "selector", "env=race", "mode", "apply")).post("/api/rollouts"));
            Poll.until("the rollout's task insert waiting for the deleted host's row", Duration.ofSeconds(30), () -> {
                try (Statement s = watching.createStatement(); ResultSet r = s.executeQuery("select count(*) from pg_stat_activity "
                        + "where wait_event_type = 'Lock' and query like 'insert into host_task%'")) {
                    r.next();
                    return r.getInt(1) == 1;
                }
            });
            deleting.commit();
            Response created = creating.get(30, TimeUnit.SECONDS);
            assertThat(created.statusCode()).as(created.asString()).isEqualTo(409);
            assertThat(created.contentType()).startsWith("application/problem+json");
            assertThat(created.jsonPath().getString("detail")).contains("was deleted while the rollout was being created");
        }
        assertThat(given().get("/api/rollouts?size=500").then().statusCode(200).extract().jsonPath().getList("plan"))
                .as("the creation rolled back whole").doesNotContain("race-plan");
    }
}
