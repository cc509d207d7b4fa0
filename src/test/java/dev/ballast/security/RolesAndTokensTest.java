package dev.ballast.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ballast.ApplicationTest;
import dev.ballast.AdminTokenForTests;
import dev.ballast.ApiEndpoints;
import io.restassured.response.Response;

/**
 * Who may do what, through the API as a script or the UI calls it: real tokens, real sessions, the
 * database behind them. The list of changing endpoints comes from the OpenAPI document, so an endpoint
 * added later without a role fails here.
 */
@ApplicationTest
class RolesAndTokensTest {

    static final String ADMIN = "Bearer " + AdminTokenForTests.token();

    @BeforeEach
    void callNobodyByDefault() {
        AdminTokenForTests.callAsNobody();
    }

    @Test
    void withoutCredentialsEveryApiCallIs401AsAProblem() {
        given().get("/api/hosts").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("type", equalTo("urn:ballast:problem:unauthenticated"));
        given().header("Authorization", "Bearer blt_not-a-token-anyone-was-ever-given-000000").get("/api/hosts").then()
                .statusCode(401).body("detail", containsString("unknown or revoked"));
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aViewerReadsButChangesNothingAndAnonymousCallersChangeNothing() {
        String viewer = token("viewer-" + System.nanoTime(), "viewer");
        given().header("Authorization", viewer).get("/api/hosts").then().statusCode(200);
        given().header("Authorization", viewer).get("/api/rollouts").then().statusCode(200);

        List<ApiEndpoints.Endpoint> changes = ApiEndpoints.changing();
        assertThat(changes).extracting(ApiEndpoints.Endpoint::path).contains("/api/rollouts", "/api/rollouts/{id}/approve",
                "/api/hosts/{name}/probe", "/api/inventory/import", "/api/tokens", "/api/users", "/api/rollouts/{id}/deny",
                "/api/hosts/{name}/maintenance", "/api/sweeps/{id}", "/api/hosts/{name}/host-key/accept");
        for (ApiEndpoints.Endpoint change : changes) {
            String path = change.with("1");
            if (change.path().equals("/api/session")) {
                continue; // logging in and out is for everyone
            }
            Response asViewer = given().header("Authorization", viewer).contentType(change.contentType()).body("{}".getBytes())
                    .request(change.method(), path);
            assertThat(asViewer.statusCode()).as(change + " as a viewer").isEqualTo(403);
            assertThat(asViewer.contentType()).startsWith("application/problem+json");
            Response anonymous = given().contentType(change.contentType()).body("{}".getBytes()).request(change.method(), path);
            assertThat(anonymous.statusCode()).as(change + " without credentials").isEqualTo(401);
        }
    }

    @Test
    void anOperatorRunsRolloutsButOnlyAnAdminTouchesTheInventoryAndTokens() {
        String operator = token("operator-" + System.nanoTime(), "operator");
        given().header("Authorization", operator).contentType("application/yaml").body("""
                name: roles-test-plan
                steps:
                  - step: io-scheduler
                    params: {device: nvme0n1}
                """.getBytes()).post("/api/plans?dryRun=true").then().statusCode(200);
        given().header("Authorization", operator).contentType("application/yaml").body("hosts: []\n".getBytes())
                .post("/api/inventory/import?format=ballast").then().statusCode(403);
        given().header("Authorization", operator).contentType("application/json").body(Map.of("name", "x", "role", "admin"))
                .post("/api/tokens").then().statusCode(403);
        given().header("Authorization", ADMIN).contentType("application/yaml").body("hosts: []\n".getBytes())
                .post("/api/inventory/import?format=ballast&dryRun=true").then().statusCode(200);
    }

    @Test
    void aTokensSecretIsShownOnceStoredHashedAndRevocable() throws Exception {
        String name = "script-" + System.nanoTime();
        Response made = given().header("Authorization", ADMIN).contentType("application/json")
                .body(Map.of("name", name, "role", "operator")).post("/api/tokens");
        made.then().statusCode(201).body("role", equalTo("operator"));
        String secret = made.path("token");
        long id = ((Number) made.path("id")).longValue();
        assertThat(secret).startsWith("blt_").hasSizeGreaterThan(40);

        String listed = given().header("Authorization", ADMIN).get("/api/tokens").then().statusCode(200).extract().asString();
        assertThat(listed).contains(name).doesNotContain(secret);
        given().header("Authorization", "Bearer " + secret).get("/api/session").then().statusCode(200)
                .body("name", equalTo("token:" + name)).body("role", equalTo("operator"));

        given().header("Authorization", ADMIN).delete("/api/tokens/" + id).then().statusCode(204);
        given().header("Authorization", "Bearer " + secret).get("/api/hosts").then().statusCode(401);

        given().header("Authorization", ADMIN).get("/api/audit?target=token/" + name).then().statusCode(200)
                .body("action", org.hamcrest.Matchers.contains("token.revoke", "token.create"))
                .body("actor", org.hamcrest.Matchers.everyItem(equalTo("token:bootstrap")));
        assertThat(Files.readString(Path.of("target/quarkus-test.log"))).doesNotContain(secret);
    }

    @Test
    void badTokenAndUserRequestsAreProblemsNamingTheField() {
        given().header("Authorization", ADMIN).contentType("application/json").body(Map.of("name", "Bad Name!", "role", "viewer"))
                .post("/api/tokens").then().statusCode(400).body("errors[0].field", equalTo("name"));
        given().header("Authorization", ADMIN).contentType("application/json").body(Map.of("name", "ok-name", "role", "root"))
                .post("/api/tokens").then().statusCode(400).body("errors[0].field", equalTo("role"));
        given().header("Authorization", ADMIN).contentType("application/json")
                .body(Map.of("name", "shortpass", "role", "viewer", "password", "short"))
                .post("/api/users").then().statusCode(400).body("errors[0].field", equalTo("password"));
    }

    @Test
    void aUiSessionNeedsItsCsrfTokenForChangesAndEndsAtLogout() {
        String user = "alice-" + System.nanoTime();
        String password = "correct horse battery staple";
        given().header("Authorization", ADMIN).contentType("application/json")
                .body(Map.of("name", user, "role", "operator", "password", password)).post("/api/users").then().statusCode(201);

        given().contentType("application/json").body(Map.of("name", user, "password", "wrong password!"))
                .post("/api/session").then().statusCode(401).contentType("application/problem+json");
        given().contentType("application/json").body(Map.of("name", "nobody-" + System.nanoTime(), "password", password))
                .post("/api/session").then().statusCode(401);
        given().contentType("application/json").body(Map.of("name", "nul\u0000name", "password", password))
                .post("/api/session").then().statusCode(401).contentType("application/problem+json");
        // Both failures are audited, never with the password.
        String failures = given().header("Authorization", ADMIN).get("/api/audit?target=user/" + user).then().statusCode(200)
                .extract().asString();
        assertThat(new io.restassured.path.json.JsonPath(failures).getList("action")).contains("session.login-failed");
        assertThat(failures).contains("\"actor\":\"anonymous\"").contains("\"address\"").doesNotContain("wrong password!");

        Response login = given().contentType("application/json").body(Map.of("name", user, "password", password)).post("/api/session");
        login.then().statusCode(200).body("name", equalTo(user)).body("role", equalTo("operator"));
        String session = login.getCookie(WebSessions.COOKIE);
        String csrf = login.path("csrfToken");
        assertThat(login.getDetailedCookie(WebSessions.COOKIE).isHttpOnly()).isTrue();
        assertThat(login.getDetailedCookie(WebSessions.COOKIE).getSameSite()).isEqualToIgnoringCase("Strict");

        given().cookie(WebSessions.COOKIE, session).get("/api/hosts").then().statusCode(200);
        byte[] plan = "name: csrf-plan\nsteps:\n  - step: io-scheduler\n    params: {device: nvme0n1}\n".getBytes();
        given().cookie(WebSessions.COOKIE, session).contentType("application/yaml").body(plan)
                .post("/api/plans?dryRun=true").then().statusCode(403).body("detail", containsString("CSRF"));
        given().cookie(WebSessions.COOKIE, session).header(WebSessions.CSRF_HEADER, "not-the-token").contentType("application/yaml")
                .body(plan).post("/api/plans?dryRun=true").then().statusCode(403);
        given().cookie(WebSessions.COOKIE, session).header(WebSessions.CSRF_HEADER, csrf).contentType("application/yaml")
                .body(plan).post("/api/plans?dryRun=true").then().statusCode(200);

        given().cookie(WebSessions.COOKIE, session).header(WebSessions.CSRF_HEADER, csrf).delete("/api/session").then().statusCode(204);
        given().cookie(WebSessions.COOKIE, session).get("/api/hosts").then().statusCode(401);
        given().cookie(WebSessions.COOKIE, session).contentType("application/json").body(Map.of("name", user, "password", password))
                .post("/api/session").then().statusCode(200);
        given().header("Authorization", ADMIN).get("/api/audit?target=user/" + user).then().statusCode(200)
                .body("action", org.hamcrest.Matchers.contains("session.login", "session.logout", "session.login",
                        "session.login-failed", "user.create"));
    }

    /**
     * Behind a TLS proxy Ballast hears plain HTTP: the cookie is Secure when the proxy says https (the test
     * configuration trusts X-Forwarded-* as quarkus.http.proxy.* does in such a deployment), and not otherwise.
     */
    @Test
    void theSessionCookieIsSecureWhenTheRequestCameOverHttps() {
        String user = "bob-" + System.nanoTime();
        String password = "correct horse battery staple";
        given().header("Authorization", ADMIN).contentType("application/json")
                .body(Map.of("name", user, "role", "viewer", "password", password)).post("/api/users").then().statusCode(201);
        Response proxied = given().header("X-Forwarded-Proto", "https").contentType("application/json")
                .body(Map.of("name", user, "password", password)).post("/api/session");
        assertThat(proxied.getDetailedCookie(WebSessions.COOKIE).isSecured()).as("Secure after X-Forwarded-Proto: https").isTrue();
        Response direct = given().contentType("application/json").body(Map.of("name", user, "password", password)).post("/api/session");
        assertThat(direct.getDetailedCookie(WebSessions.COOKIE).isSecured()).as("Secure over plain http").isFalse();
    }

    private static String token(String name, String role) {
        return "Bearer " + given().header("Authorization", ADMIN).contentType("application/json")
                .body(Map.of("name", name, "role", role)).post("/api/tokens").then().statusCode(201).extract().path("token");
    }
}
