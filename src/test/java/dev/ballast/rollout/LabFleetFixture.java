package dev.ballast.rollout;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.Set;

import dev.ballast.lab.LabFleet;
import io.restassured.path.json.JsonPath;

/** A lab fleet imported into the test application's inventory, and waiting on rollouts over the API. */
public final class LabFleetFixture {

    private LabFleetFixture() {
    }

    public static LabFleet startAndImport(int hosts) {
        String publicKey = given().get("/api/identities/default").then().statusCode(200).extract().path("publicKey");
        LabFleet fleet = LabFleet.start(hosts, publicKey);
        given().contentType("application/yaml").body(fleet.inventoryYaml().getBytes())
                .post("/api/inventory/import?format=ballast").then().statusCode(200);
        return fleet;
    }

    public static void savePlan(String yaml) {
        given().contentType("application/yaml").body(yaml.getBytes()).post("/api/plans").then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
    }

    public static long startRollout(String plan, String selector, String mode) {
        return given().contentType("application/json")
                .body(java.util.Map.of("plan", plan, "selector", selector, "mode", mode))
                .post("/api/rollouts").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    public static JsonPath rollout(long id) {
        return given().get("/api/rollouts/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** Polls the rollout until it reaches one of the states, or fails after the timeout. */
    public static JsonPath awaitState(long id, Duration timeout, String... states) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonPath last = null;
        while (System.nanoTime() < deadline) {
            last = rollout(id);
            if (Set.of(states).contains(last.getString("state"))) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("rollout " + id + " did not reach " + Set.of(states) + ": " + (last == null ? "" : last.prettify()));
    }
}
