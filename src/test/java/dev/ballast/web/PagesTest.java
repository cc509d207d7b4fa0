package dev.ballast.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ballast.ApplicationTest;

/** Every page renders for a logged-in user, with data in it, and sends anyone else to the login page. */
@ApplicationTest
class PagesTest {

    static String session;

    @BeforeEach
    void userWithData() {
        if (session != null) {
            return;
        }
        given().contentType("application/json").body(Map.of("name", "pages-viewer", "role", "viewer",
                "password", "viewer password 123")).post("/api/users").then().statusCode(201);
        given().contentType("application/yaml").body("""
                name: pages-plan
                steps:
                  - step: hugepages
                    params: {count: "64"}
                """.getBytes()).post("/api/plans").then().statusCode(201);
        given().contentType("application/json").body(Map.of("name", "pages-sweep", "cron", "0 0 4 * * ?",
                "selector", "env=nowhere", "plan", "pages-plan")).post("/api/sweeps").then().statusCode(201);
        // A run (failed: the selector matches no host) so the drift chart has a bar to draw.
        long sweep = given().get("/api/sweeps").then().extract().jsonPath().getLong("find { it.name == 'pages-sweep' }.id");
        given().post("/api/sweeps/" + sweep + "/run").then().statusCode(202);
        session = given().contentType("application/json").body(Map.of("name", "pages-viewer", "password", "viewer password 123"))
                .post("/api/session").then().statusCode(200).extract().cookie("ballast_session");
    }

    @Test
    void everyPageRendersForALoggedInUser() {
        page("/").body(containsString("Fleet")).body(containsString("pages-plan v1"))
                .body(containsString("<meta name=\"csrf-token\" content=\"")).body(containsString("pages-viewer (viewer)"));
        page("/sweeps").body(containsString("pages-sweep")).body(containsString("0 0 4 * * ?")).body(containsString("<div class=\"chart\""))
                .body(containsString("<table class=\"runs\">")).body(containsString("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js"));
        page("/plans").body(containsString("pages-plan")).body(containsString("- step: io-scheduler"));
        page("/audit").body(containsString("sweep.create")).body(containsString("token:bootstrap"));
    }

    @Test
    void anyoneElseIsSentToTheLoginPage() {
        dev.ballast.AdminTokenForTests.callAsNobody();
        given().redirects().follow(false).get("/").then().statusCode(303).header("Location", equalTo("/login"));
        given().redirects().follow(false).header("Host", "evil.example").get("/").then().statusCode(303)
                .header("Location", equalTo("/login"));
        given().redirects().follow(false).cookie("ballast_session", "bls_ended-session").get("/sweeps").then().statusCode(303);
        given().get("/login").then().statusCode(200).body(containsString("Log in"));
    }

    /** Issue 13: a page could be framed, sniffed or run injected inline script; every answer now says no. */
    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        for (String path : new String[] {"/login", "/api/hosts", "/api/no-such-thing", "/ballast.js", "/q/health/live"}) {
            given().get(path).then()
                    .header("Content-Security-Policy", equalTo("default-src 'self'; script-src 'self'; style-src 'self'; "
                            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"))
                    .header("X-Frame-Options", equalTo("DENY"))
                    .header("X-Content-Type-Options", equalTo("nosniff"))
                    .header("Referrer-Policy", equalTo("same-origin"));
        }
        page("/").header("Content-Security-Policy", containsString("script-src 'self';"));
    }

    /** The policy allows no inline script or style, so the pages must hold none, or the browser drops them. */
    @Test
    void pagesHoldNoInlineScriptHandlerOrStyle() {
        given().contentType("application/json").body(Map.of("name", "pages-host", "address", "10.9.9.9"))
                .post("/api/hosts").then().statusCode(org.hamcrest.Matchers.oneOf(201, 409));
        for (String path : new String[] {"/", "/sweeps", "/plans", "/audit", "/hosts/pages-host"}) {
            assertNoInlineCode(path, page(path).extract().asString());
        }
        assertNoInlineCode("/login", given().get("/login").then().statusCode(200).extract().asString());
    }

    private static void assertNoInlineCode(String path, String html) {
        org.assertj.core.api.Assertions.assertThat(html).as(path)
                .doesNotContainPattern("<script(?![^>]*\\ssrc=)[^>]*>")
                .doesNotContainPattern("\\son[a-z]+=")
                .doesNotContainPattern("\\sstyle=");
    }

    /** Issue 13: a bad name on a page answered problem+json, which a browser shows as raw JSON. */
    @Test
    void aPageAnswersABadNameWithAnHtmlErrorPage() {
        given().cookie("ballast_session", session).urlEncodingEnabled(false).get("/hosts/a%3Bb").then()
                .statusCode(400).contentType(containsString("text/html"))
                .body(containsString("<h1>Invalid input</h1>")).body(containsString("name: "));
        given().urlEncodingEnabled(false).get("/api/hosts/a%3Bb").then().statusCode(400).contentType("application/problem+json");
    }

    private static io.restassured.response.ValidatableResponse page(String path) {
        return given().cookie("ballast_session", session).get(path).then().statusCode(200).contentType(containsString("text/html"));
    }
}
