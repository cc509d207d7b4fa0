package dev.ballast.rollout;

import static io.restassured.RestAssured.given;

import java.time.Duration;
import java.util.Set;

import dev.ballast.Poll;
import io.restassured.path.json.JsonPath;

/** Plans and rollouts over the API, and waiting on a rollout's state; the lab itself is a {@link dev.ballast.lab.QuarkusLab}. */
public final class LabFleetFixture {

    private LabFleetFixture() {
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

    /** Polls the rollout until it reaches one of the states, or fails with its last answer after the timeout. */
    public static JsonPath awaitState(long id, Duration timeout, String... states) {
        String body = Poll.until("rollout " + id + " is in one of " + Set.of(states), timeout,
                () -> given().get("/api/rollouts/" + id).then().statusCode(200).extract().asString(),
                answer -> Set.of(states).contains(new JsonPath(answer).getString("state")));
        return new JsonPath(body);
    }

    /** Polls the rollout until {@code done} holds for its answer. */
    public static JsonPath awaitRollout(long id, String what, Duration timeout, java.util.function.Predicate<JsonPath> done) {
        String body = Poll.until("rollout " + id + ": " + what, timeout,
                () -> given().get("/api/rollouts/" + id).then().statusCode(200).extract().asString(),
                answer -> done.test(new JsonPath(answer)));
        return new JsonPath(body);
    }
}
