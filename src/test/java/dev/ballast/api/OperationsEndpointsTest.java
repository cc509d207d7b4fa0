package dev.ballast.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import dev.ballast.ApplicationTest;

/** Health, metrics and API documentation, as an operator's monitoring reads them. */
@ApplicationTest
class OperationsEndpointsTest {

    @Test
    void reportsLiveAndReadyWithTheDatabase() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Database connections health check"));
    }

    @Test
    void exposesPrometheusMetrics() {
        given().get("/api/hosts").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count"))
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void documentsTheApi() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/hosts"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/inventory/import"))
                .body("paths.'/api/rollouts/{id}/events'.get.description", org.hamcrest.Matchers.containsString("Last-Event-ID"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    /**
     * Issue 13: metrics and the API's description were open to anyone. The test configuration protects them
     * ({@code ballast.security.protect-management=true}); health stays open for the orchestrator's probes.
     */
    @Test
    void protectedManagementEndpointsNeedAViewer() {
        dev.ballast.AdminTokenForTests.callAsNobody();
        for (String path : new String[] {"/q/metrics", "/q/openapi", "/q/swagger-ui/"}) {
            given().redirects().follow(false).get(path).then().statusCode(401);
        }
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void answersUnknownPathsWithAProblem() {
        given().get("/api/no-such-thing").then().statusCode(404).contentType("application/problem+json");
    }
}
