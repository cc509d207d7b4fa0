package dev.ballast.api;

import static io.restassured.RestAssured.given;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ballast.ApiEndpoints;
import dev.ballast.security.WebSessions;

/** The callers, targets and bodies of the hostile-input run's auth matrix, and the state it must leave as it was. */
final class AuthFixture {

    private AuthFixture() {
    }

    /** A body the endpoint would act on, so that a missing role check shows as a change. */
    static String validBody(ApiEndpoints.Endpoint endpoint) {
        return switch (endpoint.toString()) {
            case "POST /api/hosts" -> "{\"name\":\"hostile-new\",\"address\":\"10.0.0.9\"}";
            case "PUT /api/hosts/{name}" -> "{\"name\":\"lab-001\",\"address\":\"10.9.9.9\"}";
            case "POST /api/hosts/{name}/host-key/accept" -> "{\"hostKey\":\"ssh-ed25519 " + HostileInputTest.ED25519 + "\"}";
            case "POST /api/hosts/{name}/probe" -> "{\"step\":\"hugepages\",\"params\":{\"count\":\"8\"}}";
            case "POST /api/hosts/{name}/rollback" -> "{\"rollout\":1}";
            case "POST /api/inventory/import" -> endpoint.contentType().contains("yaml") ? "hosts:\n  - {name: hostile-x1, address: 10.0.0.9}\n"
                    : "[hv]\nhostile-x1 ansible_host=10.0.0.9\n";
            case "POST /api/plans" -> HostileInputTest.PLAN.replace("hostile-plan", "hostile-plan-two");
            case "POST /api/rollouts" -> "{\"plan\":\"hostile-plan\",\"selector\":\"env=lab\",\"mode\":\"check\"}";
            case "POST /api/sweeps" -> "{\"name\":\"hostile-sweep\",\"cron\":\"0 0 3 * * ?\",\"selector\":\"env=lab\",\"plan\":\"hostile-plan\"}";
            case "POST /api/users" -> "{\"name\":\"hostile-user\",\"role\":\"admin\",\"password\":\"correct horse battery staple\"}";
            case "POST /api/tokens" -> "{\"name\":\"hostile-token\",\"role\":\"admin\"}";
            case "POST /api/identities" -> "{\"name\":\"hostile-identity\"}";
            default -> "{}";
        };
    }

    /** What each path parameter names, by the collection it is in: things that exist, so a change would show. */
    static Map<String, String> targets() {
        String sweep = String.valueOf(HostileInputTest.admin().contentType("application/json").body("{\"name\":\"hostile-" + System.nanoTime()
                + "\",\"cron\":\"0 0 3 * * ?\",\"selector\":\"env=lab\",\"plan\":\"hostile-plan\"}").post("/api/sweeps").then().statusCode(201)
                .extract().path("id").toString());
        String token = HostileInputTest.admin().contentType("application/json").body(Map.of("name", "hostile-" + System.nanoTime(), "role", "viewer"))
                .post("/api/tokens").then().statusCode(201).extract().path("id").toString();
        return Map.of("hosts", "lab-001", "sweeps", sweep, "tokens", token, "users", user("viewer").get("name"));
    }

    /** The counts of everything a change could add to or take from, and a host as a PUT would change it. */
    static Map<String, Object> snapshot() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("hosts", HostileInputTest.admin().get("/api/hosts").then().statusCode(200).extract().path("total"));
        for (String list : List.of("plans", "users", "tokens", "sweeps", "rollouts", "identities")) {
            state.put(list, HostileInputTest.admin().get("/api/" + list).then().statusCode(200).extract().jsonPath().getList("$").size());
        }
        state.put("lab-001", HostileInputTest.admin().get("/api/hosts/lab-001").then().statusCode(200).extract().asString());
        return state;
    }

    static String token(String role) {
        return "Bearer " + HostileInputTest.admin().contentType("application/json").body(Map.of("name", "hostile-" + role + "-" + System.nanoTime(), "role", role))
                .post("/api/tokens").then().statusCode(201).extract().path("token");
    }

    static Map<String, String> user(String role) {
        Map<String, String> user = Map.of("name", "hostile-" + role + "-" + System.nanoTime(), "role", role, "password", "correct horse battery staple");
        HostileInputTest.admin().contentType("application/json").body(user).post("/api/users").then().statusCode(201);
        return user;
    }

    static String sessionOf(Map<String, String> user) {
        return given().contentType("application/json").body(Map.of("name", user.get("name"), "password", user.get("password")))
                .post("/api/session").then().statusCode(200).extract().cookie(WebSessions.COOKIE);
    }
}
