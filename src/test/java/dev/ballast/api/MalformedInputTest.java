package dev.ballast.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.ballast.ApplicationTest;
import io.restassured.specification.RequestSpecification;

/**
 * Bad input of every kind gets a 4xx problem answer that names the field at fault, never a 500, and a
 * refused import leaves the inventory as it was.
 */
@ApplicationTest
class MalformedInputTest {

    record Case(String what, String method, String path, String contentType, String body, int status, String field) {
        @Override
        public String toString() {
            return what;
        }
    }

    private static final String ED25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIHVlZCuhWX9ZbxSeSJmyYc4cGgxqbdJ7uwvRnyCDDyPk";

    static Case host(String what, String json, String field) {
        return new Case(what, "POST", "/api/hosts", "application/json", json, 400, field);
    }

    static Case list(String what, String query, String field) {
        return new Case(what, "GET", "/api/hosts" + query, null, null, 400, field);
    }

    static Case inventory(String what, String query, String text, int status, String field) {
        return new Case(what, "POST", "/api/inventory/import" + query, "text/plain", text, status, field);
    }

    static Stream<Case> hostCases() {
        return Stream.of(
                host("name with a space", "{\"name\":\"hv 01\",\"address\":\"10.0.0.1\"}", "name"),
                host("name with shell syntax", "{\"name\":\"hv01;reboot\",\"address\":\"10.0.0.1\"}", "name"),
                host("missing name", "{\"address\":\"10.0.0.1\"}", "name"),
                host("name of 200 characters", "{\"name\":\"" + "h".repeat(200) + "\",\"address\":\"10.0.0.1\"}", "name"),
                host("IPv4 octet over 255", "{\"name\":\"m1\",\"address\":\"999.1.1.1\"}", "address"),
                host("address with command substitution", "{\"name\":\"m1\",\"address\":\"$(reboot)\"}", "address"),
                host("malformed IPv6", "{\"name\":\"m1\",\"address\":\"fe80:::1\"}", "address"),
                host("address with a newline", "{\"name\":\"m1\",\"address\":\"a.example\\nb\"}", "address"),
                host("port 0", "{\"name\":\"m1\",\"address\":\"10.0.0.1\",\"sshPort\":0}", "sshPort"),
                host("port 70000", "{\"name\":\"m1\",\"address\":\"10.0.0.1\",\"sshPort\":70000}", "sshPort"),
                host("port as text", "{\"name\":\"m1\",\"address\":\"10.0.0.1\",\"sshPort\":\"ssh\"}", "sshPort"),
                host("port with a fraction", "{\"name\":\"m1\",\"address\":\"10.0.0.1\",\"sshPort\":22.5}", "sshPort"),
                host("user with a semicolon", "{\"name\":\"m1\",\"address\":\"10.0.0.1\",\"sshUser\":\"root;id\"}", "sshUser"),
                host("label key with a space", "{\"name\":\"m1\",\"address\":\"10.0.0.1\",\"labels\":{\"my rack\":\"r1\"}}", "labels"),
                host("label value with a space", "{\"name\":\"m1\",\"address\":\"10.0.0.1\",\"labels\":{\"rack\":\"r 1\"}}", "labels.rack"),
                host("label value as an object", "{\"name\":\"m1\",\"address\":\"10.0.0.1\",\"labels\":{\"rack\":{\"x\":1}}}", "labels.rack"),
                host("host key not base64", "{\"name\":\"m1\",\"address\":\"10.0.0.1\",\"hostKey\":\"ssh-ed25519 not*base64\"}", "hostKey"),
                host("host key of another algorithm", "{\"name\":\"m1\",\"address\":\"10.0.0.1\",\"hostKey\":\"ssh-rsa " + ED25519 + "\"}", "hostKey"),
                host("unknown identity", "{\"name\":\"m1\",\"address\":\"10.0.0.1\",\"identity\":\"nope\"}", "identity"),
                host("unknown property", "{\"name\":\"m1\",\"address\":\"10.0.0.1\",\"colour\":\"blue\"}", "colour"),
                host("notes over 4096 characters", "{\"name\":\"m1\",\"address\":\"10.0.0.1\",\"notes\":\"" + "n".repeat(5000) + "\"}", "notes"),
                host("malformed JSON", "{\"name\":", "body"),
                host("JSON array instead of an object", "[1,2]", "body"),
                host("empty body", "", "body"),
                new Case("plain text to the hosts API", "POST", "/api/hosts", "text/plain", "hv01", 415, null),
                new Case("host name with a slash in the path", "GET", "/api/hosts/a%3Bb", null, null, 400, "name"),
                new Case("replacing with another name", "PUT", "/api/hosts/m-one", "application/json",
                        "{\"name\":\"m-two\",\"address\":\"10.0.0.1\"}", 400, "name"),
                list("selector with an empty requirement", "?selector=rack%3Dr1,,zone%3Da", "selector"),
                list("selector with an unclosed list", "?selector=zone%20in%20(a,b", "selector"),
                list("selector with command substitution", "?selector=rack%3D$(id)", "selector"),
                list("page size 0", "?size=0", "size"),
                list("page size as text", "?size=lots", "size"),
                list("negative page", "?page=-1", "page"));
    }

    static Stream<Case> importCases() {
        return Stream.of(
                inventory("YAML that does not parse", "?format=ballast", "hosts:\n  - name: [\n", 400, "yaml"),
                inventory("INI with an unknown section type", "", "[hv:bogus]\nx1\n", 400, "section"),
                inventory("INI with an unclosed quote", "", "[hv]\nx1 rack=\"r1\n", 400, "hosts"),
                inventory("INI with a reversed range", "", "[hv]\nx[05:01]\n", 400, "host"),
                inventory("INI with a bad host name", "", "[hv]\nx1\nx$(id)\n", 400, "host"),
                inventory("INI with a variable without a value", "", "[hv]\nx1 rack\n", 400, "hosts"),
                inventory("INI with a bad port", "", "[hv]\nx1 ansible_port=70000\n", 400, "ansible_port"),
                inventory("Ballast YAML with an unknown key", "", "hosts:\n  - name: x1\n    address: 10.0.0.1\n    colour: red\n", 400, "hosts[0]"),
                inventory("Ballast YAML with a duplicate host", "", "hosts:\n  - {name: x1, address: 10.0.0.1}\n  - {name: x1, address: 10.0.0.2}\n", 400, "hosts[1].name"),
                inventory("Ballast YAML with a bad address", "", "hosts:\n  - name: x1\n    address: 10.0.0.1\n  - name: x2\n    address: \"10.0.0.1; reboot\"\n", 400, "hosts[1].address"),
                inventory("YAML with an alias bomb", "?format=ansible-yaml",
                        "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n", 400, "yaml"),
                inventory("INI groups in a cycle", "", "[a:children]\nb\n[b:children]\na\n[a]\nx1\n", 400, "children"),
                inventory("an INI group its own child", "", "[a:children]\na\n[a]\nx1\n", 400, "children"),
                inventory("YAML groups in a cycle", "?format=ansible-yaml",
                        "all:\n  children:\n    a:\n      hosts: {x1: {}}\n      children:\n        b:\n          children:\n            a: {}\n",
                        400, "b.children"),
                inventory("an unknown format", "?format=xml", "x1\n", 400, "format"),
                inventory("a dry-run flag that is not a boolean", "?dryRun=maybe", "x1\n", 400, "dryRun"),
                inventory("an empty file", "", "   \n", 400, "body"),
                inventory("a NUL byte", "", "[hv]\nx1\u0000\n", 400, "body"),
                inventory("a body over the size limit", "", "# padding\n".repeat(500_000), 413, null));
    }

    /** Each of these answered 500 (issue 13): PostgreSQL refuses NUL in text, and Quartz a cron that never fires. */
    static Stream<Case> formerServerErrors() {
        return Stream.of(
                new Case("a user name holding NUL", "DELETE", "/api/users/%00", null, null, 400, "name"),
                new Case("a sweep whose cron never fires", "POST", "/api/sweeps", "application/json",
                        "{\"name\":\"never\",\"cron\":\"0 0 0 30 2 ?\",\"selector\":\"env=lab\",\"plan\":\"p\"}", 400, "cron"),
                new Case("a sweep whose cron fired last in 2001", "POST", "/api/sweeps", "application/json",
                        "{\"name\":\"past\",\"cron\":\"0 0 0 1 1 ? 2001\",\"selector\":\"env=lab\",\"plan\":\"p\"}", 400, "cron"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formerServerErrors")
    void answersWhatOnceFailedTheServerWithAProblem(Case c) {
        given().contentType("application/yaml").body("name: p\nsteps:\n  - step: hugepages\n    params: {count: \"8\"}\n".getBytes())
                .post("/api/plans").then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        RequestSpecification request = given().urlEncodingEnabled(false);
        if (c.contentType() != null) {
            request = request.contentType(c.contentType()).body(c.body());
        }
        request.request(c.method(), c.path()).then().statusCode(c.status()).contentType("application/problem+json")
                .body("errors.field", hasItem(c.field()));
    }

    /** The UI's pages answer bad names with a page of their own, never a 500. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"/hosts/..%2f..%2fetc", "/hosts/%00", "/hosts/a%3Bb"})
    void pagesAnswerBadNamesWithA4xx(String path) {
        int status = given().urlEncodingEnabled(false).get(path).then().extract().statusCode();
        assertThat(status).as(path).isBetween(400, 499);
    }

    /** Issue 13: SnakeYAML reads slowly: a 2 MB inventory was read whole and answered 200 after 11 s. */
    @org.junit.jupiter.api.Test
    void refusesYamlOverTheParsersLimitsNamingThem() {
        given().contentType("application/yaml").body(("all:\n  hosts:\n" + java.util.stream.IntStream.range(0, 150_000).mapToObj(i -> "    h" + i + ": {}\n")
                .collect(java.util.stream.Collectors.joining())).getBytes())
                .post("/api/inventory/import?format=ansible-yaml&dryRun=true").then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("urn:ballast:problem:invalid-input"))
                .body("errors[0].field", equalTo("yaml"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("1048576 characters"));
        given().contentType("application/yaml").body(("hosts: " + "[".repeat(100) + "]".repeat(100) + "\n").getBytes())
                .post("/api/inventory/import?format=ballast&dryRun=true").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("yaml"))
                .body("errors[0].message", equalTo("Nesting Depth exceeded max 32"));
    }

    @org.junit.jupiter.api.Test
    void aPageForANameOf3000CharactersIsA4xx() {
        int status = given().get("/hosts/" + "h".repeat(3000)).then().extract().statusCode();
        assertThat(status).isBetween(400, 499);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostCases")
    void answersBadHostRequestsWithAProblem(Case c) {
        assertProblem(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("importCases")
    void refusesBadInventoriesWithoutChangingAnything(Case c) {
        int before = hostCount();
        assertProblem(c);
        assertThat(hostCount()).isEqualTo(before);
        given().get("/api/hosts/x1").then().statusCode(404);
    }

    private static void assertProblem(Case c) {
        RequestSpecification request = given();
        if (c.contentType() != null) {
            request = request.contentType(c.contentType()).body(c.body());
        }
        var response = request.request(c.method(), c.path()).then()
                .statusCode(c.status())
                .contentType("application/problem+json")
                .body("status", equalTo(c.status()));
        if (c.field() != null) {
            response.body("errors.field", hasItem(c.field()));
        }
    }

    private static int hostCount() {
        return given().get("/api/hosts").then().statusCode(200).extract().path("total");
    }
}
