package dev.ballast.rollback;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.ApplicationTest;
import dev.ballast.jdbc.Jdbc;
import dev.ballast.lab.LabFleet;
import dev.ballast.lab.Libvirt;
import dev.ballast.lab.QuarkusLab;
import dev.ballast.rollout.LabFleetFixture;
import jakarta.inject.Inject;

/**
 * A domain's VNC password, captured so that a rollback can redefine the domain exactly, is never stored in
 * clear: the rollback point's facts hold it masked, the password itself is sealed with the master key, the
 * history holds it masked, and a rollback from the web still puts it back byte for byte. Points an earlier
 * Ballast stored in clear are sealed at start.
 */
@ApplicationTest
class RollbackPointSecretsTest {

    @RegisterExtension
    static final QuarkusLab<LabFleet> lab = QuarkusLab.imported(1);

    @Inject
    Jdbc jdbc;

    @Inject
    RollbackPoints points;

    @Test
    void aDomainPasswordIsSealedAtRestAndStillRestored() {
        Libvirt libvirt = lab.fleet().host("lab-001").state().libvirt();
        String vm = libvirt.uuidOf("vm-1-1");
        String before = libvirt.inactiveXml(vm);
        assertThat(before).contains("passwd='s3cret-1-1'");
        LabFleetFixture.savePlan("""
                name: sealed-disk-cache
                steps:
                  - step: libvirt-disk-cache
                    params: {domain: all}
                """);
        long apply = LabFleetFixture.startRollout("sealed-disk-cache", "env=lab", "apply");
        assertThat(LabFleetFixture.awaitState(apply, Duration.ofSeconds(30), "SUCCEEDED", "FAILED", "HALTED").getString("state"))
                .isEqualTo("SUCCEEDED");

        Map<String, Object> stored = stored(apply);
        assertThat((String) stored.get("captured")).contains("passwd='********'").doesNotContain("s3cret");
        assertThat((String) stored.get("applied")).contains("passwd='********'").doesNotContain("s3cret");
        assertThat(new String((byte[]) stored.get("captured_secrets"), StandardCharsets.ISO_8859_1)).doesNotContain("s3cret");
        assertThat(stored.get("applied_secrets")).isNotNull();
        assertThat(jdbc.count("select count(*) from step_result s join host_task t on t.id = s.task_id where t.rollout_id = ? "
                + "and concat(cast(s.before as text), cast(s.after as text), s.output, s.detail) like '%s3cret%'", apply)).isZero();

        long back = given().contentType("application/json").body(Map.of("rollout", apply))
                .post("/api/hosts/lab-001/rollback").then().statusCode(201).extract().jsonPath().getLong("id");
        assertThat(LabFleetFixture.awaitState(back, Duration.ofSeconds(30), "SUCCEEDED", "FAILED", "HALTED").getString("state"))
                .isEqualTo("SUCCEEDED");
        assertThat(libvirt.inactiveXml(vm)).isEqualTo(before);
    }

    @Test
    void pointsStoredInClearAreSealedAtStart() {
        LabFleetFixture.savePlan("""
                name: clear-disk-cache
                steps:
                  - step: libvirt-disk-cache
                    params: {domain: vm-1-2}
                """);
        long apply = LabFleetFixture.startRollout("clear-disk-cache", "env=lab", "check");
        LabFleetFixture.awaitState(apply, Duration.ofSeconds(30), "SUCCEEDED", "FAILED", "HALTED");
        long task = jdbc.count("select id from host_task where rollout_id = ?", apply);
        String clear = "{\"domain:vm-1-2\": \"<domain>\\n  <graphics type='vnc' passwd = 'in-clear'/>\\n</domain>\\n\"}";
        jdbc.update("insert into rollback_point (task_id, rollout_id, host_name, position, step, params, captured) "
                + "values (?, ?, 'lab-001', 0, 'libvirt-disk-cache', '{}', cast(? as jsonb))", task, apply, clear);

        points.sealPasswordsStoredInClear(null);

        Map<String, Object> stored = stored(apply);
        assertThat((String) stored.get("captured")).contains("passwd = '********'").doesNotContain("in-clear");
        assertThat(stored.get("captured_secrets")).isNotNull();
        assertThat(points.find(task, 0).orElseThrow().captured().get("domain:vm-1-2")).contains("passwd = 'in-clear'");
    }

    private Map<String, Object> stored(long rollout) {
        return jdbc.one("select cast(captured as text), captured_secrets, cast(applied as text), applied_secrets "
                + "from rollback_point where rollout_id = ? order by position limit 1", r -> {
                    Map<String, Object> row = new java.util.HashMap<>();
                    row.put("captured", r.getString(1));
                    row.put("captured_secrets", r.getBytes(2));
                    row.put("applied", r.getString(3));
                    row.put("applied_secrets", r.getBytes(4));
                    return row;
                }, rollout).orElseThrow();
    }
}
