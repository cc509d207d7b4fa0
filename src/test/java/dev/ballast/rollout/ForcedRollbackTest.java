package dev.ballast.rollout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.ApplicationTest;
import dev.ballast.lab.LabFleet;
import dev.ballast.lab.Libvirt;
import dev.ballast.lab.QuarkusLab;
import io.restassured.path.json.JsonPath;

/**
 * A web rollback of a domain step on a host where someone edited the domain since Ballast applied:
 * refused with the edit shown, the rollback point kept, and then restored when the operator forces it,
 * with the force in the audit trail.
 */
@ApplicationTest
class ForcedRollbackTest {

    @RegisterExtension
    static final QuarkusLab<LabFleet> lab = QuarkusLab.imported(1);

    @Test
    void aRollbackThatWouldUndoAnEditRefusesUntilForced() {
        LabFleetFixture.savePlan("""
                name: forced-disk-cache
                steps:
                  - step: libvirt-disk-cache
                    params: {domain: all}
                """);
        long apply = LabFleetFixture.startRollout("forced-disk-cache", "env=lab", "apply");
        assertThat(LabFleetFixture.awaitState(apply, Duration.ofSeconds(30), "SUCCEEDED", "FAILED", "HALTED").getString("state"))
                .isEqualTo("SUCCEEDED");
        Libvirt libvirt = lab.fleet().host("lab-001").state().libvirt();
        String vm = libvirt.uuidOf("vm-1-2");
        libvirt.editByHand(vm, xml -> xml.replace("<vcpu placement='static'>1</vcpu>", "<vcpu placement='static'>2</vcpu>"));

        JsonPath refused = rollBack(apply, false, 201);
        assertThat(refused.getString("task.state")).isEqualTo("FAILED");
        assertThat(refused.getList("history.outcome")).containsExactly("ROLLBACK_REFUSED");
        assertThat(refused.getString("task.error")).contains("vm-1-2 (" + vm + ") changed since Ballast applied")
                .contains("+ <vcpu placement=\"static\">2</vcpu>");
        assertThat(libvirt.inactiveXml(vm)).as("the edit stays").contains("<vcpu placement='static'>2</vcpu>");
        assertThat(given().get("/api/hosts/lab-001/rollback-points").then().statusCode(200).extract().jsonPath()
                .getList("find { it.rollout == " + apply + " }.points.state")).containsOnly("CAPTURED");

        JsonPath forced = rollBack(apply, true, 201);
        assertThat(forced.getString("task.state")).isEqualTo("SUCCEEDED");
        assertThat(forced.getList("history.outcome")).containsExactly("ROLLED_BACK");
        assertThat(libvirt.inactiveXml(vm)).contains("<vcpu placement='static'>1</vcpu>").doesNotContain("cache='none'");
        assertThat(given().get("/api/audit?target=host/lab-001").then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.action == 'host.rollback' && it.after.rollsBack == " + apply + " }.after.forced"))
                .containsExactlyInAnyOrder(false, true);
    }

    private static JsonPath rollBack(long source, boolean force, int status) {
        long id = given().contentType("application/json").body(Map.of("rollout", source, "force", force))
                .post("/api/hosts/lab-001/rollback").then().statusCode(status).extract().jsonPath().getLong("id");
        LabFleetFixture.awaitState(id, Duration.ofSeconds(30), "SUCCEEDED", "FAILED", "HALTED");
        return given().get("/api/rollouts/" + id + "/hosts/lab-001").then().statusCode(200).extract().jsonPath();
    }
}
