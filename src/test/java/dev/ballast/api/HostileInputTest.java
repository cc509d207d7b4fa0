package dev.ballast.api;

import static dev.ballast.api.HostileCases.Expect.any;
import static dev.ballast.api.HostileCases.Expect.page;
import static dev.ballast.api.HostileCases.Expect.problem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.AdminTokenForTests;
import dev.ballast.ApiEndpoints;
import dev.ballast.ApplicationTest;
import dev.ballast.InjectionCorpus;
import dev.ballast.lab.LabFleet;
import dev.ballast.lab.QuarkusLab;
import dev.ballast.security.WebSessions;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Ballast's own hostile-input run (issue 13): callers without the role, bodies too big, too slow or sent
 * chunked, bad paths and queries, and values made to reach a shell. Every case's answer is recorded, a
 * summary per category is printed, and a category fails listing every case that got a 5xx, another status
 * than the one due, or something else than a problem (for the UI: an HTML page). Nothing may change and no
 * command may reach a lab host. The chunked and slow bodies are sent by {@link SlowAndChunkedBodies}.
 */
@ApplicationTest
class HostileInputTest {

    static final String ADMIN = "Bearer " + AdminTokenForTests.token();
    static final String ED25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIHVlZCuhWX9ZbxSeSJmyYc4cGgxqbdJ7uwvRnyCDDyPk";
    static final String PLAN = "{\"name\":\"hostile-plan\",\"steps\":[{\"step\":\"hugepages\",\"params\":{\"count\":\"8\"}}]}";

    /** Imported, with pinned keys: a probe or rollout that got through would connect to them. */
    @RegisterExtension
    static final QuarkusLab<LabFleet> lab = QuarkusLab.imported(2);

    static final java.util.regex.Pattern LABEL_VALUE = java.util.regex.Pattern.compile("|[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");

    static final HostileCases cases = new HostileCases();

    @TestHTTPResource("/")
    URL base;

    @AfterAll
    static void printSummary() {
        cases.summary().forEach(System.out::println);
    }

    @Test
    void callersWithoutTheRoleChangeNothing() {
        AdminTokenForTests.callAsNobody();
        admin().contentType("application/json").body(PLAN).post("/api/plans").then().statusCode(201);
        Map<String, String> targets = AuthFixture.targets();
        String viewer = AuthFixture.token("viewer"), operator = AuthFixture.token("operator");
        String operatorSession = AuthFixture.sessionOf(AuthFixture.user("operator"));
        Map<String, Object> before = AuthFixture.snapshot();
        int connections = lab.fleet().connections();

        for (ApiEndpoints.Endpoint endpoint : ApiEndpoints.changing()) {
            Optional<String> role = endpoint.role();
            if (endpoint.path().equals("/api/session") || role.isEmpty()) {
                continue; // logging in and out is for everyone (RolesAndTokensTest, LoginThrottleTest)
            }
            String path = endpoint.with(targets.getOrDefault(endpoint.path().split("/")[2], "1"));
            auth(endpoint, "without credentials", given(), path, 401);
            auth(endpoint, "with a token nobody was given", given().header("Authorization", "Bearer blt_" + "0".repeat(43)), path, 401);
            auth(endpoint, "with a malformed Authorization header", given().header("Authorization", "Basic \u0000\u0001"), path, 401);
            auth(endpoint, "as a viewer", given().header("Authorization", viewer), path, 403);
            auth(endpoint, "in an operator's UI session without its CSRF token", given().cookie(WebSessions.COOKIE, operatorSession), path, 403);
            if (role.get().equals("admin")) {
                auth(endpoint, "as an operator", given().header("Authorization", operator), path, 403);
            }
        }

        assertThat(AuthFixture.snapshot()).as("nothing changed").isEqualTo(before);
        assertThat(lab.fleet().connections()).as("no lab host was connected to").isEqualTo(connections);
        assertNoFaults("auth");
    }

    @Test
    void oversizedBodiesNamesAndDocumentsAreProblems() throws Exception {
        int max = (int) maxBodySize();
        String atLimit = "#".repeat(63) + "\n";
        String comments = atLimit.repeat(max / 64) + "#".repeat(max % 64);
        send("sizes", "an inventory of exactly max-body-size bytes (comments: an empty inventory)", body("text/plain", comments), "POST",
                "/api/inventory/import?dryRun=true", any(200));
        send("sizes", "an inventory one byte over", body("text/plain", comments + "#"), "POST", "/api/inventory/import?dryRun=true", problem(null, 413));
        send("sizes", "a plan of exactly max-body-size bytes", body("application/yaml", comments), "POST", "/api/plans?dryRun=true", problem("yaml", 400));
        send("sizes", "a plan one byte over", body("application/yaml", comments + "#"), "POST", "/api/plans?dryRun=true", problem(null, 413));
        String notes = "{\"name\":\"big\",\"address\":\"10.0.0.1\",\"notes\":\"";
        String atLimitHost = notes + "n".repeat(max - notes.length() - 2) + "\"}";
        send("sizes", "a host of exactly max-body-size bytes", body("application/json", atLimitHost), "POST", "/api/hosts", problem("notes", 400));
        send("sizes", "JSON one byte over max-body-size", body("application/json", atLimitHost + " "), "POST", "/api/hosts", problem(null, 413));
        for (String path : List.of("/api/rollouts?dryRun=true", "/api/sweeps", "/api/users", "/api/tokens", "/api/identities",
                "/api/hosts/lab-001/probe", "/api/hosts/lab-001/rollback")) {
            RawHttp.Answer answer = RawHttp.exchange(base, "POST " + path + " HTTP/1.1\r\nAuthorization: " + ADMIN
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + (max + 1), RawHttp.Body.whole("{"), Duration.ofSeconds(10));
            cases.record("sizes", "a declared length one byte over max-body-size to " + path, answer.status(), answer.contentType(), answer.body(),
                    problem(null, 413));
        }

        String long10k = "h".repeat(10_000);
        send("sizes", "a host name of 10,000 characters", json(Map.of("name", long10k, "address", "10.0.0.1")), "POST", "/api/hosts", problem("name", 400));
        send("sizes", "a label key of 10,000 characters", json(Map.of("name", "big", "address", "10.0.0.1", "labels", Map.of(long10k, "x"))),
                "POST", "/api/hosts", problem("labels", 400));
        send("sizes", "a label value of 10,000 characters", json(Map.of("name", "big", "address", "10.0.0.1", "labels", Map.of("rack", long10k))),
                "POST", "/api/hosts", problem("labels.rack", 400));
        send("sizes", "65 labels", json(Map.of("name", "big", "address", "10.0.0.1", "labels", manyKeys(65))), "POST", "/api/hosts", problem("labels", 400));
        send("sizes", "10,000 labels", json(Map.of("name", "big", "address", "10.0.0.1", "labels", manyKeys(10_000))), "POST", "/api/hosts",
                problem("labels", 400));
        send("sizes", "10,000 unknown properties", json(manyKeys(10_000)), "POST", "/api/hosts", problem(null, 400));
        send("sizes", "10,000 step parameters", json(Map.of("step", "hugepages", "params", manyKeys(10_000))), "POST", "/api/hosts/lab-001/probe",
                problem(null, 400));
        send("sizes", "a step parameter of 100,000 characters", json(Map.of("step", "hugepages", "params", Map.of("count", "9".repeat(100_000)))),
                "POST", "/api/hosts/lab-001/probe", problem("params.count", 400));
        send("sizes", "labels as an array of 200,000 numbers", body("application/json", "{\"name\":\"big\",\"address\":\"10.0.0.1\",\"labels\":["
                + "1,".repeat(199_999) + "1]}"), "POST", "/api/hosts", problem("labels", 400));
        send("sizes", "JSON nested 100,000 deep", body("application/json", "{\"labels\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"),
                "POST", "/api/hosts", problem(null, 400));
        send("sizes", "JSON nested 900 deep", body("application/json", "{\"name\":\"big\",\"address\":\"10.0.0.1\",\"labels\":{\"a\":"
                + "[".repeat(900) + "]".repeat(900) + "}}"), "POST", "/api/hosts", problem("labels.a", 400));
        send("sizes", "a plan nested 10,000 deep", body("application/yaml", "name: p\nsteps: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n"),
                "POST", "/api/plans?dryRun=true", problem("yaml", 400));
        send("sizes", "an inventory nested 10,000 deep", body("application/yaml", "hosts: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n"),
                "POST", "/api/inventory/import?format=ballast&dryRun=true", problem("yaml", 400));
        send("sizes", "a plan of 60,000 steps", body("application/json", "{\"name\":\"p\",\"steps\":["
                + "{\"step\":\"hugepages\",\"params\":{\"count\":\"8\"}},".repeat(59_999) + "{\"step\":\"hugepages\"}]}"),
                "POST", "/api/plans?dryRun=true", problem("yaml", 400));
        send("sizes", "a plan with an alias bomb", body("application/yaml", "name: p\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                + "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"),
                "POST", "/api/plans?dryRun=true", problem("yaml", 400));
        send("sizes", "a plan name of 10,000 characters", json(Map.of("name", long10k, "steps", List.of(Map.of("step", "hugepages", "params",
                Map.of("count", "8"))))), "POST", "/api/plans?dryRun=true", problem("name", 400));
        send("sizes", "a sweep name of 10,000 characters", json(Map.of("name", long10k, "cron", "0 0 3 * * ?", "selector", "env=lab", "plan", "p")),
                "POST", "/api/sweeps", problem("name", 400));
        send("sizes", "a user name of 10,000 characters", json(Map.of("name", long10k, "role", "viewer", "password", "correct horse battery staple")),
                "POST", "/api/users", problem("name", 400));
        send("sizes", "a selector of 5,000 characters", json(Map.of("plan", "hostile-plan", "selector", "rack=" + "r".repeat(4995), "mode", "check")),
                "POST", "/api/rollouts?dryRun=true", problem("selector", 400));
        send("sizes", "a selector of 4,000 characters in the query", given(), "GET", "/api/hosts?selector=rack%3D" + "r".repeat(4000),
                problem("selector", 400));
        send("sizes", "a query of 5,000 characters", given(), "GET", "/api/audit?target=" + "t".repeat(5000), problem(null, 414));
        send("sizes", "a request line of 20,000 characters", given(), "GET", "/api/audit?target=" + "t".repeat(20_000), any(414));
        send("sizes", "a limit of 20 digits", given(), "GET", "/api/audit?limit=99999999999999999999", problem("limit", 400));
        send("sizes", "a bearer token of 6,000 characters", given().header("Authorization", "Bearer blt_" + "x".repeat(6000)), "GET", "/api/hosts",
                problem(null, 401));
        send("sizes", "headers of 40,000 characters (over quarkus.http.limits.max-header-size)", given().header("X-Padding", "p".repeat(40_000)),
                "GET", "/api/hosts", any(431));
        assertNoFaults("sizes");
    }

    @Test
    void chunkedAndSlowBodiesAreProblemsOrClosedConnections() throws Exception {
        long logged = Files.size(HttpLimitsTest.LOG);
        Duration took = new SlowAndChunkedBodies(base, ADMIN, maxBodySize(), cases).run();
        assertThat(took).as("all at once: about one body deadline").isLessThan(Duration.ofSeconds(20));
        send(SlowAndChunkedBodies.CATEGORY, "the server answers afterwards", given(), "GET", "/api/hosts/lab-001", any(200));
        assertNoFaults(SlowAndChunkedBodies.CATEGORY);
        // Issue 13: a JSON body that stopped half-way was an ERROR with a stack trace, though only the client failed.
        String log = Files.readString(HttpLimitsTest.LOG, StandardCharsets.UTF_8).substring((int) logged);
        assertThat(log.lines()).as("what the server logged").noneMatch(line -> line.contains(" ERROR "));
    }

    @Test
    void badPathsQueriesMethodsAndContentTypesAreProblemsOrErrorPages() {
        for (String api : List.of("/api/hosts/..%2f..%2fetc%2fpasswd", "/api/hosts/%00", "/api/hosts/a%3Bb", "/api/hosts/" + "h".repeat(3000),
                "/api/plans/..%2fp", "/api/plans/%00", "/api/hosts/%00/rollback-points",
                "/api/hosts/%0aa/pending-restarts")) {
            send("paths and queries", "GET " + abbreviate(api), given().urlEncodingEnabled(false), "GET", api, problem(null, 400));
        }
        send("paths and queries", "DELETE /api/users/%00", given().urlEncodingEnabled(false), "DELETE", "/api/users/%00", problem("name", 400));
        send("paths and queries", "GET /api/identities/%2e%2e (the collection's parent)", given().urlEncodingEnabled(false), "GET",
                "/api/identities/%2e%2e", problem(null, 404));
        for (String id : List.of("abc", "-1", "99999999999999999999", "1.5", "%00", "..%2f1", "0x10")) {
            send("paths and queries", "rollout id " + id, given().urlEncodingEnabled(false), "GET", "/api/rollouts/" + id, problem("id", 400));
            send("paths and queries", "sweep id " + id, given().urlEncodingEnabled(false), "GET", "/api/sweeps/" + id + "/runs", problem("id", 400));
            send("paths and queries", "the page of rollout " + id, given().urlEncodingEnabled(false), "GET", "/rollouts/" + id, page(400));
        }
        send("paths and queries", "a rollout that does not exist", given(), "GET", "/api/rollouts/999999999", problem(null, 404));
        send("paths and queries", "a plan version that is not a number", given(), "GET", "/api/plans/hostile-plan/versions/x", problem("version", 400));
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("/api/audit?limit=-1", "limit");
        queries.put("/api/audit?limit=abc", "limit");
        queries.put("/api/audit?limit=0", "limit");
        queries.put("/api/audit?before=x", "before");
        queries.put("/api/audit?before=-5", "before");
        queries.put("/api/hosts?selector=%3D%3D", "selector");
        queries.put("/api/hosts?selector=rack%20in%20(", "selector");
        queries.put("/api/hosts?selector=rack%3Dr1,,", "selector");
        queries.put("/api/hosts?selector=!", "selector");
        queries.put("/api/hosts?size=100000", "size");
        queries.put("/api/hosts?page=abc", "page");
        queries.put("/api/rollouts?state=BOGUS", "state");
        queries.put("/api/rollouts?size=-1", "size");
        queries.put("/api/sweeps/1/runs?limit=abc", "limit");
        for (Map.Entry<String, String> query : queries.entrySet()) {
            send("paths and queries", "GET " + query.getKey(), given().urlEncodingEnabled(false), "GET", query.getKey(), problem(query.getValue(), 400));
        }
        send("paths and queries", "a dry-run flag of maybe on a plan", body("application/json", PLAN), "POST", "/api/plans?dryRun=maybe", problem("dryRun", 400));
        send("paths and queries", "a dry-run flag of maybe on a rollout", body("application/json", "{\"plan\":\"hostile-plan\",\"selector\":\"env=lab\",\"mode\":\"check\"}"),
                "POST", "/api/rollouts?dryRun=maybe", problem("dryRun", 400));
        send("paths and queries", "a dry-run flag of TRUE on an import", body("text/plain", "[hv]\nx1\n"), "POST", "/api/inventory/import?dryRun=TRUE",
                problem("dryRun", 400));
        send("paths and queries", "an unknown path under /api", given(), "GET", "/api/nothing-here", problem(null, 404));
        send("paths and queries", "an unknown page", given(), "GET", "/nothing-here", page(404));
        for (String[] wrong : new String[][] {{"PATCH", "/api/hosts"}, {"DELETE", "/api/plans"}, {"PUT", "/api/rollouts"}, {"GET", "/api/inventory/import"},
                {"PUT", "/api/sweeps/1/run"}, {"POST", "/api/audit"}, {"DELETE", "/api/steps"}}) {
            send("paths and queries", "method " + wrong[0] + " " + wrong[1], body("application/json", "{}"), wrong[0], wrong[1], problem(null, 405));
        }
        send("paths and queries", "method POST on a page", body("application/x-www-form-urlencoded", "a=b"), "POST", "/plans", page(405));
        send("paths and queries", "method DELETE on a page", given(), "DELETE", "/hosts/lab-001", page(405));
        for (String[] wrong : new String[][] {{"text/plain", "/api/hosts"}, {"application/xml", "/api/plans?dryRun=true"},
                {"application/json", "/api/inventory/import?dryRun=true"}, {"text/csv", "/api/sweeps"}, {"multipart/form-data; boundary=x", "/api/users"},
                {"application/x-www-form-urlencoded", "/api/tokens"}, {"image/png", "/api/hosts/lab-001/probe"}}) {
            send("paths and queries", wrong[0] + " to " + wrong[1], body(wrong[0], "a=b"), "POST", wrong[1], problem(null, 415));
        }
        for (String ui : List.of("/hosts/..%2f..%2fetc", "/hosts/%00", "/hosts/a%3Bb", "/hosts/" + "h".repeat(3000), "/hosts/%0d%0aSet-Cookie:x=y")) {
            send("paths and queries", "page " + abbreviate(ui), given().urlEncodingEnabled(false), "GET", ui, page(400));
        }
        send("paths and queries", "the page of a host that does not exist", given(), "GET", "/hosts/no-such-host", page(404));
        assertNoFaults("paths and queries");
    }

    @Test
    void injectedValuesAreRefusedNamingTheFieldAndReachNoHost() {
        int connections = lab.fleet().connections();
        for (String attack : InjectionCorpus.VALUES) {
            String shown = attack.length() > 20 ? attack.substring(0, 20) + "..." : attack;
            inject("probe device " + shown, Map.of("step", "io-scheduler", "params", Map.of("device", attack)), "/api/hosts/lab-001/probe", "params.device");
            inject("plan step device " + shown, Map.of("name", "p", "steps", List.of(Map.of("step", "io-scheduler", "params", Map.of("device", attack)))),
                    "/api/plans?dryRun=true", "steps[0].params.device");
            inject("host name " + shown, Map.of("name", attack, "address", "10.0.0.1"), "/api/hosts", "name");
            inject("host address " + shown, Map.of("name", "injected", "address", attack), "/api/hosts", "address");
            inject("sweep name " + shown, Map.of("name", attack, "cron", "0 0 3 * * ?", "selector", "env=lab", "plan", "hostile-plan"), "/api/sweeps", "name");
            inject("sweep cron " + shown, Map.of("name", "injected", "cron", attack, "selector", "env=lab", "plan", "hostile-plan"), "/api/sweeps", "cron");
            inject("user name " + shown, Map.of("name", attack, "role", "viewer", "password", "correct horse battery staple"), "/api/users", "name");
            if (!attack.isEmpty()) { // an empty label value is a value, as in Kubernetes
                inject("label value " + shown, Map.of("name", "injected", "address", "10.0.0.1", "labels", Map.of("rack", attack)), "/api/hosts",
                        "labels.rack");
            }
            if (!LABEL_VALUE.matcher(attack.strip()).matches()) { // "rack= sda" is "rack=sda" spaced out, as "rack = sda" is
                inject("rollout selector " + shown, Map.of("plan", "hostile-plan", "selector", "rack=" + attack, "mode", "apply"),
                        "/api/rollouts?dryRun=true", "selector");
                send("injection", "host selector " + shown, given().urlEncodingEnabled(false), "GET",
                        "/api/hosts?selector=rack%3D" + URLEncoder.encode(attack, StandardCharsets.UTF_8), problem("selector", 400));
            }
        }
        assertThat(lab.fleet().connections()).as("no connection for rejected input").isEqualTo(connections);
        given().get("/api/hosts/injected").then().statusCode(404);
        assertNoFaults("injection");
    }

    private static long maxBodySize() {
        return new MemorySizeConverter().convert(ConfigProvider.getConfig().getValue("ballast.api.max-body-size", String.class)).asLongValue();
    }

    private void inject(String what, Map<String, Object> body, String path, String field) {
        send("injection", what, json(body), "POST", path, problem(field, 400));
    }

    private static void auth(ApiEndpoints.Endpoint endpoint, String who, RequestSpecification caller, String path, int status) {
        byte[] body = AuthFixture.validBody(endpoint).getBytes(StandardCharsets.UTF_8);
        send("auth", endpoint + " " + who, caller.contentType(endpoint.contentType()).body(body), endpoint.method(), path, problem(null, status));
    }

    static RequestSpecification admin() {
        return given().header("Authorization", ADMIN);
    }

    static RequestSpecification body(String contentType, String body) {
        if (contentType.startsWith("application/x-www-form-urlencoded")) {
            return given().contentType(contentType).body(body); // RestAssured encodes forms from text only
        }
        return given().contentType(contentType).body(body.getBytes(StandardCharsets.UTF_8));
    }

    private static RequestSpecification json(Object body) {
        return given().contentType("application/json").body(body);
    }

    private static Map<String, String> manyKeys(int count) {
        return IntStream.range(0, count).boxed().collect(Collectors.toMap(i -> "k" + i, i -> "v"));
    }

    static void send(String category, String what, RequestSpecification request, String method, String path, HostileCases.Expect expect) {
        Response answer;
        try {
            answer = request.request(method, path);
        } catch (Exception e) { // RestAssured throws the socket's IOException undeclared
            if (!(e instanceof java.io.IOException) && !(e.getCause() instanceof java.io.IOException)) {
                throw e;
            }
            // The server closed the connection while the request was still being written (a header over the codec's limit).
            cases.record(category, what, HostileCases.CLOSED, null, "", expect);
            return;
        }
        cases.record(category, what, answer.statusCode(), answer.contentType(), answer.asString(), expect);
    }

    static void assertNoFaults(String category) {
        assertThat(cases.count(category)).as("cases of " + category).isGreaterThanOrEqualTo(20);
        assertThat(cases.faults(category)).as("cases of " + category + " that got a 5xx, another status or no problem").isEmpty();
    }

    private static String abbreviate(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "... (" + text.length() + " characters)" : text;
    }
}
