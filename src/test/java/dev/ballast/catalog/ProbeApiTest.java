package dev.ballast.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.ApplicationTest;
import dev.ballast.InjectionCorpus;
import dev.ballast.lab.LabFleet;
import dev.ballast.lab.LabHost;
import dev.ballast.lab.QuarkusLab;
import io.restassured.http.ContentType;

/** Probing hosts over the API: validation before any connection, host-key trust, failures as problems. */
@ApplicationTest
class ProbeApiTest {

    /** Not imported: each test registers the host it probes, with the trust it needs. */
    @RegisterExtension
    static final QuarkusLab<LabFleet> lab = QuarkusLab.notImported(6);

    private static void register(String name, LabHost host, String hostKey, boolean trustOnFirstUse) {
        given().delete("/api/hosts/" + name);
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", name, "address", "127.0.0.1",
                "sshPort", host.port(), "trustOnFirstUse", trustOnFirstUse));
        if (hostKey != null) {
            body.put("hostKey", hostKey);
        }
        given().contentType(ContentType.JSON).body(body).post("/api/hosts").then().statusCode(201);
    }

    private static io.restassured.response.ValidatableResponse probe(String name, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/hosts/" + name + "/probe").then();
    }

    @Test
    void probesAStepOnAPinnedHost() {
        LabHost host = lab.fleet().host("lab-001");
        register("probe-1.lab", host, host.hostKey(), false);
        probe("probe-1.lab", Map.of("step", "io-scheduler", "params", Map.of("device", "nvme0n1")))
                .statusCode(200)
                .body("compliant", equalTo(false))
                .body("state.scheduler", equalTo("mq-deadline"))
                .body("drift.fact", hasItem("scheduler"));
    }

    @Test
    void neverShowsTheGraphicsPasswordsARollbackPointKeeps() {
        LabHost host = lab.fleet().host("lab-001");
        register("probe-1.lab", host, host.hostKey(), false);
        String body = probe("probe-1.lab", Map.of("step", "libvirt-disk-cache", "params", Map.of("domain", "all")))
                .statusCode(200).body("compliant", equalTo(false)).extract().asString();
        assertThat(body).contains("passwd='********'", "<graphics").doesNotContain("s3cret");
    }

    @Test
    void rejectsTheInjectionCorpusBeforeConnecting() {
        LabHost host = lab.fleet().host("lab-002");
        register("probe-2.lab", host, host.hostKey(), false);
        int connectionsBefore = lab.fleet().connections();
        for (String attack : InjectionCorpus.VALUES) {
            probe("probe-2.lab", Map.of("step", "io-scheduler", "params", Map.of("device", attack)))
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("params.device"));
            probe("probe-2.lab", Map.of("step", "hugepages", "params", Map.of("count", attack)))
                    .statusCode(400)
                    .body("errors[0].field", equalTo("params.count"));
            for (String step : List.of("apparmor-raw-disk", "qemu-disk-access")) {
                probe("probe-2.lab", Map.of("step", step, "params", Map.of("vg", attack)))
                        .statusCode(400)
                        .body("errors[0].field", equalTo("params.vg"));
            }
            probe("probe-2.lab", Map.of("step", "emulator-pinning", "params", Map.of("domain", "all", "cpuset", attack)))
                    .statusCode(400)
                    .body("errors[0].field", equalTo("params.cpuset"));
            probe("probe-2.lab", Map.of("step", "iothread-pinning", "params", Map.of("domain", "all", "cpuset", "2", "iothread", attack)))
                    .statusCode(400)
                    .body("errors[0].field", equalTo("params.iothread"));
        }
        probe("probe-2.lab", Map.of("step", "reboot", "params", Map.of())).statusCode(400)
                .body("errors[0].field", equalTo("step"));
        probe("probe-2.lab", Map.of("step", "io-scheduler", "params", Map.of("device", "sda", "extra", "1")))
                .statusCode(400).body("errors[0].field", equalTo("params.extra"));
        probe("probe-2.lab", Map.of("params", Map.of())).statusCode(400);
        assertThat(lab.fleet().connections()).as("no connection for rejected input").isEqualTo(connectionsBefore);
    }

    @Test
    void pinsTheKeyOfATrustOnFirstUseHostAndAuditsIt() {
        LabHost host = lab.fleet().host("lab-003");
        register("probe-3.lab", host, null, true);
        probe("probe-3.lab", Map.of("step", "hugepages", "params", Map.of("count", "16"))).statusCode(200);
        given().get("/api/hosts/probe-3.lab").then().body("hostKey", equalTo(host.hostKey()));
    }

    @Test
    void refusesAnUnpinnedHostWithoutTrustOnFirstUse() {
        LabHost host = lab.fleet().host("lab-004");
        register("probe-4.lab", host, null, false);
        probe("probe-4.lab", Map.of("step", "hugepages", "params", Map.of("count", "16")))
                .statusCode(409).body("type", equalTo("urn:ballast:problem:remote-host-key-unknown"));
        given().get("/api/hosts/probe-4.lab").then().body("hostKey", nullValue());
    }

    @Test
    void quarantinesAHostWhoseKeyChangedUntilAnAdminAcceptsIt() {
        LabHost host = lab.fleet().host("lab-005");
        register("probe-5.lab", host, host.hostKey(), false);
        host.rotateHostKey();
        Map<String, Object> body = Map.of("step", "hugepages", "params", Map.of("count", "16"));
        probe("probe-5.lab", body).statusCode(409).body("type", equalTo("urn:ballast:problem:remote-host-key-mismatch"));
        given().get("/api/hosts/probe-5.lab").then()
                .body("quarantine.presentedHostKey", equalTo(host.hostKey()))
                .body("quarantine.since", notNullValue());

        int connectionsBefore = lab.fleet().connections();
        probe("probe-5.lab", body).statusCode(409).body("detail", containsString("quarantined"));
        assertThat(lab.fleet().connections()).as("a quarantined host is not connected to").isEqualTo(connectionsBefore);

        LabHost other = lab.fleet().host("lab-006");
        given().contentType(ContentType.JSON).body(Map.of("hostKey", other.hostKey()))
                .post("/api/hosts/probe-5.lab/host-key/accept").then().statusCode(409);
        given().contentType(ContentType.JSON).body(Map.of("hostKey", host.hostKey()))
                .post("/api/hosts/probe-5.lab/host-key/accept").then().statusCode(200)
                .body("hostKey", equalTo(host.hostKey())).body("quarantine", nullValue());
        probe("probe-5.lab", body).statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("hostKey", host.hostKey()))
                .post("/api/hosts/probe-5.lab/host-key/accept").then().statusCode(409);
    }

    @Test
    void anUnreachableHostIsABadGateway() {
        LabHost host = lab.fleet().host("lab-006");
        register("probe-6.lab", host, host.hostKey(), false);
        lab.fleet().reachable(host, false);
        try {
            probe("probe-6.lab", Map.of("step", "hugepages", "params", Map.of("count", "16")))
                    .statusCode(502).contentType("application/problem+json")
                    .body("type", equalTo("urn:ballast:problem:remote-unreachable"));
        } finally {
            lab.fleet().reachable(host, true);
        }
    }

    @Test
    void listsTheCatalogWithParameterSchemas() {
        given().get("/api/steps").then().statusCode(200)
                .body("id", hasItem("io-scheduler"))
                .body("find { it.id == 'io-scheduler' }.effect", equalTo("IMMEDIATE"))
                .body("find { it.id == 'io-scheduler' }.parameters.name", equalTo(List.of("device", "scheduler")))
                .body("find { it.id == 'hugepages' }.parameters.find { it.name == 'size' }.allowed", equalTo(List.of("2M", "1G")))
                .body("find { it.id == 'apparmor-raw-disk' }.parameters.name", equalTo(List.of("vg")))
                .body("find { it.id == 'qemu-disk-access' }.parameters.name", equalTo(List.of("vg")))
                .body("find { it.id == 'emulator-pinning' }.effect", equalTo("IMMEDIATE"))
                .body("find { it.id == 'emulator-pinning' }.parameters.name", equalTo(List.of("domain", "cpuset")))
                .body("find { it.id == 'iothread-pinning' }.effect", equalTo("NEXT_DOMAIN_COLD_START"))
                .body("find { it.id == 'iothread-pinning' }.parameters.name", equalTo(List.of("domain", "cpuset", "iothread")))
                .body("find { it.id == 'block-queue' }.parameters.name", equalTo(List.of("device", "nrRequests", "readAheadKb")))
                .body("find { it.id == 'guest-agent' }.parameters.name", equalTo(List.of("domain", "minVersion")))
                .body("find { it.id == 'guest-agent' }.parameters.find { it.name == 'minVersion' }.required", equalTo(false));
    }
}
