package dev.ballast.inventory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.ballast.ApplicationTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

@ApplicationTest
class HostApiTest {

    private final String suite = "s" + UUID.randomUUID().toString().substring(0, 8);

    private String host(String name, Map<String, String> labels) {
        Map<String, String> all = new HashMap<>(labels);
        all.put("suite", suite);
        return given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "address", "10.0.0.1", "labels", all))
                .post("/api/hosts").then().statusCode(201).extract().path("name");
    }

    @Test
    void createsReadsReplacesAndDeletesAHost() {
        String name = suite + "-hv01.dc1";
        given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "address", "hv01.dc1.example.net", "sshPort", 2222, "sshUser", "ballast",
                        "labels", Map.of("rack", "r1", "zone", "a"), "notes", "first hypervisor"))
                .post("/api/hosts")
                .then().statusCode(201)
                .header("Location", endsWith("/api/hosts/" + name))
                .body("name", equalTo(name))
                .body("sshPort", equalTo(2222))
                .body("labels.rack", equalTo("r1"))
                .body("maintenance", equalTo(false))
                .body("hostKey", nullValue());

        given().get("/api/hosts/" + name).then().statusCode(200)
                .body("address", equalTo("hv01.dc1.example.net"))
                .body("sshUser", equalTo("ballast"))
                .body("notes", equalTo("first hypervisor"));

        given().contentType(ContentType.JSON)
                .body(Map.of("name", name, "address", "fd00::10", "labels", Map.of("rack", "r2"), "maintenance", true,
                        "hostKey", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHVlZCuhWX9ZbxSeSJmyYc4cGgxqbdJ7uwvRnyCDDyPk root@hv01"))
                .put("/api/hosts/" + name)
                .then().statusCode(200)
                .body("address", equalTo("fd00::10"))
                .body("sshPort", equalTo(22))
                .body("maintenance", equalTo(true))
                .body("labels", equalTo(Map.of("rack", "r2")))
                .body("hostKey", equalTo("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHVlZCuhWX9ZbxSeSJmyYc4cGgxqbdJ7uwvRnyCDDyPk"));

        given().delete("/api/hosts/" + name).then().statusCode(204);
        given().get("/api/hosts/" + name).then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("no host named '" + name + "'"));
    }

    /** Issue 13: the Location of a 201 was built from the Host header, so 'Host: evil.example' pointed away. */
    @Test
    void aCreatedHostsLocationIsRelative() {
        String name = suite + "-located";
        given().header("Host", "evil.example").contentType(ContentType.JSON).body(Map.of("name", name, "address", "10.0.0.1"))
                .post("/api/hosts").then().statusCode(201).header("Location", equalTo("/api/hosts/" + name));
    }

    @Test
    void refusesADuplicateNameWithConflict() {
        String name = host(suite + "-dup", Map.of());
        given().contentType(ContentType.JSON).body(Map.of("name", name, "address", "10.0.0.2"))
                .post("/api/hosts")
                .then().statusCode(409)
                .contentType("application/problem+json")
                .body("status", equalTo(409))
                .body("detail", equalTo("a host named '" + name + "' already exists"));
    }

    @Test
    void selectsHostsByLabels() {
        host(suite + "-a", Map.of("rack", "r1", "role", "compute", "zone", "a"));
        host(suite + "-b", Map.of("rack", "r1", "role", "storage", "zone", "b"));
        host(suite + "-c", Map.of("rack", "r2", "zone", "c"));
        host(suite + "-d", Map.of("rack", "r1", "zone", "a", "retired", ""));

        assertSelects("rack=r1,role!=storage,zone in (a,b),!retired", suite + "-a");
        assertSelects("role!=storage", suite + "-a", suite + "-c", suite + "-d");
        assertSelects("zone notin (a,b)", suite + "-c");
        assertSelects("role", suite + "-a", suite + "-b");
        assertSelects("rack==r2", suite + "-c");
        assertSelects("retired", suite + "-d");
        assertSelects("rack=r9");
    }

    private void assertSelects(String selector, String... names) {
        given().queryParam("selector", "suite=" + suite + "," + selector).queryParam("size", "500")
                .get("/api/hosts").then().statusCode(200)
                .body("total", equalTo(names.length))
                .body("items.name", names.length == 0 ? empty() : contains((Object[]) names));
    }

    @Test
    void pagesThroughHostsInNameOrder() {
        for (int i = 1; i <= 5; i++) {
            host(suite + "-p" + i, Map.of());
        }
        given().queryParam("selector", "suite=" + suite).queryParam("page", "1").queryParam("size", "2")
                .get("/api/hosts").then().statusCode(200)
                .body("total", equalTo(5))
                .body("page", equalTo(1))
                .body("size", equalTo(2))
                .body("items.name", contains(suite + "-p3", suite + "-p4"));
    }

    @Inject
    EntityManager em;

    @Test
    void auditsEveryChange() {
        String name = host(suite + "-audited", Map.of());
        given().delete("/api/hosts/" + name).then().statusCode(204);

        // Read from the table: the audit API comes with authentication.
        @SuppressWarnings("unchecked")
        List<String> actions = em.createNativeQuery("select action from audit_event where target = ? order by id")
                .setParameter(1, "host/" + name).getResultList();
        assertThat(actions).containsExactly("host.create", "host.delete");
    }

    @Test
    void listsTheDefaultIdentityAsAUsableReference() {
        given().contentType(ContentType.JSON).body(Map.of("name", suite + "-id", "address", "10.0.0.3", "identity", "default"))
                .post("/api/hosts").then().statusCode(201).body("identity", equalTo("default"));
        given().get("/api/identities").then().statusCode(200).body("name", hasItem("default"));
    }

    /** A host's results and rollback points refer to it: a host that was ever in a rollout is refused, saying why. */
    @Test
    void refusesToDeleteAHostThatWasInARollout() {
        String name = suite + "-history";
        given().contentType(ContentType.JSON).body(Map.of("name", name, "address", "127.0.0.1", "maintenance", true,
                "labels", Map.of("suite", suite))).post("/api/hosts").then().statusCode(201);
        given().contentType("application/yaml").body(("name: " + suite + "-plan\nsteps:\n  - step: hugepages\n    params: {count: \"8\"}\n")
                .getBytes()).post("/api/plans").then().statusCode(201);
        long rollout = given().contentType(ContentType.JSON).body(Map.of("plan", suite + "-plan", "selector", "suite=" + suite,
                "mode", "apply")).post("/api/rollouts").then().statusCode(201).extract().jsonPath().getLong("id");

        given().delete("/api/hosts/" + name).then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:ballast:problem:conflict"))
                .body("detail", containsString("rollout " + rollout))
                .body("detail", containsString("maintenance"));
        given().get("/api/hosts/" + name).then().statusCode(200);
    }
}
