package dev.ballast.inventory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.ballast.ApplicationTest;
import io.restassured.path.json.JsonPath;

@ApplicationTest
class InventoryImportTest {

    static String resource(String name) {
        try (InputStream in = InventoryImportTest.class.getResourceAsStream("/inventories/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonPath importText(String text, String query) {
        return given().contentType("text/plain").body(text).post("/api/inventory/import" + query)
                .then().statusCode(200).extract().jsonPath();
    }

    static Map<String, Object> host(String name) {
        return given().get("/api/hosts/" + name).then().statusCode(200).extract().jsonPath().getMap("");
    }

    @Test
    void importsARealWorldAnsibleIniInventory() {
        JsonPath report = importText(resource("realworld.ini"), "");

        assertThat(report.getString("format")).isEqualTo("ansible-ini");
        assertThat(report.getInt("created") + report.getInt("updated") + report.getInt("unchanged")).isEqualTo(10);
        assertThat(report.getList("ignored.field")).contains("motd");

        Map<String, Object> hv01 = host("hv01.dc1.example.net");
        assertThat(hv01).containsEntry("address", "hv01.dc1.example.net").containsEntry("sshPort", 22)
                .containsEntry("sshUser", "root");
        // Child group vars override parent group vars: compute's role beats hypervisors' role.
        assertThat(hv01.get("labels")).isEqualTo(Map.of("compute", "", "hypervisors", "", "rack", "r1", "role", "compute",
                "zone", "dc1-a", "env", "prod", "nvme_model", "PM9A3"));
        assertThat(host("hv04.dc1.example.net")).containsEntry("sshPort", 22);
        assertThat(host("hv06.dc1.example.net")).containsEntry("sshPort", 2222);
        assertThat(host("hv07.dc1.example.net")).containsEntry("address", "10.20.0.17");

        Map<String, Object> stB = host("st-b.dc1.example.net");
        assertThat(stB).containsEntry("address", "10.20.1.2").containsEntry("sshPort", 2200)
                .containsEntry("sshUser", "storage-admin");
        assertThat(stB.get("labels")).isEqualTo(Map.of("storage_nodes", "", "hypervisors", "", "rack", "r3",
                "role", "storage", "zone", "dc1-a", "env", "prod"));
        assertThat(host("st-a.dc1.example.net")).containsEntry("address", "10.20.1.1");

        // Host vars beat group vars; an ungrouped host gets only all's vars.
        Map<String, Object> bastion = host("bastion.dc1.example.net");
        assertThat(bastion).containsEntry("sshUser", "ops");
        assertThat(bastion.get("labels")).isEqualTo(Map.of("env", "prod"));

        given().queryParam("selector", "hypervisors,role=compute,rack=r2").get("/api/hosts").then()
                .body("total", equalTo(3));
    }

    @Test
    void importsAnAnsibleYamlInventory() {
        JsonPath report = importText(resource("inventory.yml"), "");

        assertThat(report.getString("format")).isEqualTo("ansible-yaml");
        assertThat(report.getList("hosts.name")).containsExactly("lab-hv1", "lab-hv2", "lab-hv3", "lab-hv4");
        assertThat(host("lab-hv3").get("labels")).isEqualTo(Map.of("env", "lab", "hypervisors", "", "rack_r1", "",
                "rack", "r1", "role", "hypervisor", "retired", ""));
        assertThat(host("lab-hv2")).containsEntry("address", "127.0.0.1").containsEntry("sshPort", 2201);
        assertThat(host("lab-hv4")).containsEntry("address", "::1").containsEntry("sshUser", "ballast");
        assertThat(report.getList("ignored.field")).contains("ntp_servers");
    }

    @Test
    void importsBallastYamlIdempotentlyAndKeepsWhatTheFileDoesNotSay() {
        String yaml = """
                defaults:
                  sshUser: ballast
                  labels: {zone: z9}
                hosts:
                  - name: by-hv1
                    address: 192.0.2.10
                    labels: {rack: r1}
                  - name: by-hv2
                    address: 192.0.2.11
                    sshPort: 2022
                    maintenance: true
                    notes: spare
                """;
        JsonPath first = importText(yaml, "?format=ballast");
        assertThat(List.of(first.getInt("created"), first.getInt("updated"), first.getInt("unchanged"))).containsExactly(2, 0, 0);
        assertThat(host("by-hv1").get("labels")).isEqualTo(Map.of("zone", "z9", "rack", "r1"));
        assertThat(host("by-hv2")).containsEntry("sshPort", 2022).containsEntry("maintenance", true).containsEntry("notes", "spare");

        JsonPath again = importText(yaml, "");
        assertThat(again.getString("format")).isEqualTo("ballast");
        assertThat(List.of(again.getInt("created"), again.getInt("updated"), again.getInt("unchanged"))).containsExactly(0, 0, 2);

        // A file without maintenance or notes keeps them; a changed address is an update.
        JsonPath changed = importText("""
                hosts:
                  - name: by-hv2
                    address: 192.0.2.99
                    sshPort: 2022
                    sshUser: ballast
                    labels: {zone: z9}
                """, "");
        assertThat(changed.getInt("updated")).isEqualTo(1);
        assertThat(host("by-hv2")).containsEntry("address", "192.0.2.99").containsEntry("maintenance", true)
                .containsEntry("notes", "spare");
    }

    @Test
    void dryRunReportsWithoutWriting() {
        JsonPath report = importText("dry-hv[1:3] ansible_host=192.0.2.1\n", "?dryRun=true");

        assertThat(report.getBoolean("dryRun")).isTrue();
        assertThat(report.getInt("created")).isEqualTo(3);
        given().get("/api/hosts/dry-hv1").then().statusCode(404);
    }

    @Test
    void oneBadLineRejectsTheWholeFileAndNamesTheLine() {
        String ini = """
                [ok]
                aon-hv1 ansible_host=192.0.2.1
                aon-hv2 ansible_host=192.0.2.2

                [broken]
                aon-hv3 ansible_port=70000
                """;
        given().contentType("text/plain").body(ini).post("/api/inventory/import")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.line", hasItem(6))
                .body("errors.field", hasItem("ansible_port"));
        given().get("/api/hosts/aon-hv1").then().statusCode(404);
    }

    /** Ansible variables Ballast has no use for are named per host; those that change how a host is reached are warned about. */
    @Test
    void ansibleVariablesBallastDoesNotUseAreListedPerHostAndLoginChangesAreWarnedAbout() {
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(Inventory.class.getName());
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    logged.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(handler);
        JsonPath report;
        try {
            report = importText("""
                    [hypervisors]
                    ign-hv[1:2] ansible_host=192.0.2.31 ansible_become=true
                    ign-hv3 ansible_host=192.0.2.33 ansible_connection=local

                    [hypervisors:vars]
                    ansible_ssh_private_key_file=/home/ops/.ssh/fleet_secret_key
                    ansible_ssh_common_args='-o ProxyJump=bastion.example'

                    [all:vars]
                    ansible_python_interpreter=/usr/bin/python3
                    ansible_connection=ssh
                    """, "");
        } finally {
            log.removeHandler(handler);
        }

        assertThat(report.getList("hosts.find { it.name == 'ign-hv1' }.ignored", String.class)).containsExactlyInAnyOrder(
                "ansible_become", "ansible_ssh_private_key_file", "ansible_ssh_common_args", "ansible_python_interpreter",
                "ansible_connection");
        assertThat(report.getList("hosts.find { it.name == 'ign-hv3' }.ignored", String.class)).contains("ansible_connection")
                .doesNotContain("ansible_become");
        assertThat(report.getList("ignored.field")).contains("ansible_python_interpreter", "ansible_become",
                "ansible_ssh_common_args", "ansible_connection", "ansible_ssh_private_key_file");

        assertThat(report.getList("warnings.field")).containsExactlyInAnyOrder("ansible_ssh_private_key_file", "ansible_connection");
        assertThat(report.getList("warnings.find { it.field == 'ansible_ssh_private_key_file' }.hosts", String.class))
                .containsExactly("ign-hv1", "ign-hv2", "ign-hv3");
        assertThat(report.getList("warnings.find { it.field == 'ansible_connection' }.hosts", String.class)).containsExactly("ign-hv3");
        assertThat(report.getInt("warnings.find { it.field == 'ansible_connection' }.line")).isEqualTo(3);
        assertThat(logged).hasSize(2).allMatch(line -> line.contains("ign-hv"));
        assertThat(report.prettify() + logged).doesNotContain("fleet_secret_key");
    }

    /** An inventory's own variables may hold secrets: never made labels, and their values never repeated. */
    @Test
    void variablesThatHoldSecretsAreNeitherLabelsNorEchoed() {
        JsonPath report = importText("""
                [hypervisors]
                sec-hv1 ansible_host=192.0.2.51 rack=r1 db_password=hunter2secret motd="do not show this"
                """, "");

        assertThat(report.getList("hosts.find { it.name == 'sec-hv1' }.ignored", String.class))
                .contains("db_password", "motd");
        assertThat(report.prettify()).doesNotContain("hunter2secret", "do not show this");
        assertThat(host("sec-hv1").get("labels").toString()).contains("rack").doesNotContain("db_password", "hunter2");
    }

    /** Errors in a Ballast inventory name the path to the field, as plan errors do. */
    @Test
    void errorsInABallastInventoryNameThePathToTheField() {
        given().contentType("text/plain").body("""
                hosts:
                  - name: path-hv1
                    address: 192.0.2.41
                  - name: path-hv2
                    address: 192.0.2.42
                    sshPort: 70000
                """).post("/api/inventory/import")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:ballast:problem:invalid-input"))
                .body("errors[0].field", equalTo("hosts[1].sshPort"))
                .body("errors[0].line", equalTo(6));
        given().contentType("text/plain").body("""
                defaults:
                  sshUser: "bad user"
                hosts:
                  - name: path-hv3
                    address: 192.0.2.43
                    labels: {rack: "r 1"}
                """).post("/api/inventory/import")
                .then().statusCode(400)
                .body("errors.field", hasItems("defaults.sshUser", "hosts[0].labels.rack"))
                .body("errors.find { it.field == 'defaults.sshUser' }.line", equalTo(2))
                .body("errors.find { it.field == 'hosts[0].labels.rack' }.line", equalTo(6));
        // An SSH identity nobody created: named where the file gives it, once for a default all hosts share.
        given().contentType("text/plain").body("""
                hosts:
                  - name: path-hv4
                    address: 192.0.2.44
                  - name: path-hv5
                    address: 192.0.2.45
                    identity: nobody-made-this
                """).post("/api/inventory/import")
                .then().statusCode(400)
                .body("errors.field", contains("hosts[1].identity"))
                .body("errors[0].line", equalTo(6))
                .body("errors[0].message", equalTo("no SSH identity named 'nobody-made-this'"));
        given().contentType("text/plain").body("""
                defaults:
                  identity: nobody-made-this
                hosts:
                  - name: path-hv6
                    address: 192.0.2.46
                  - name: path-hv7
                    address: 192.0.2.47
                """).post("/api/inventory/import")
                .then().statusCode(400)
                .body("errors.field", contains("defaults.identity"))
                .body("errors[0].line", equalTo(2));
    }

    /** A re-import that leaves a field out keeps its stored value; labels are cleared only by saying so. */
    @Test
    void aFieldTheFileLeavesOutKeepsItsStoredValue() {
        importText("""
                hosts:
                  - name: keep-hv1
                    address: 192.0.2.51
                    sshPort: 2022
                    sshUser: ballast
                    labels: {rack: r1}
                """, "");
        JsonPath fewer = importText("hosts:\n  - name: keep-hv1\n    address: 192.0.2.51\n", "");
        assertThat(fewer.getInt("unchanged")).isEqualTo(1);
        assertThat(host("keep-hv1")).containsEntry("sshPort", 2022).containsEntry("sshUser", "ballast")
                .containsEntry("labels", Map.of("rack", "r1"));

        importText("hosts:\n  - name: keep-hv1\n    address: 192.0.2.51\n    labels: {}\n", "");
        assertThat(host("keep-hv1")).containsEntry("labels", Map.of()).containsEntry("sshPort", 2022);

        // An Ansible inventory without ansible_port or ansible_user does not say them either.
        importText("keep-hv1 ansible_host=192.0.2.52\n", "");
        assertThat(host("keep-hv1")).containsEntry("address", "192.0.2.52").containsEntry("sshPort", 2022)
                .containsEntry("sshUser", "ballast");
    }
}
