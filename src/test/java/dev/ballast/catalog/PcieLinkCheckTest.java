package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.catalog.CheckResult.Status;
import dev.ballast.remote.TestSsh;

class PcieLinkCheckTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(11);
    final PcieLinkCheck check = new PcieLinkCheck();

    @Test
    void passesALinkAtItsFullWidth() throws Exception {
        CheckResult result = CheckOnLab.run(ssh, "lab-001", check, Map.of());
        assertThat(result.status()).isEqualTo(Status.PASSED);
        assertThat(result.observed()).isEqualTo("x4 at 16GT/s (capable of x4 at 16GT/s)");
        assertThat(result.figures()).containsEntry("bdf", "0000:01:00.0").containsEntry("cap_width", "4")
                .containsEntry("sta_width", "4").containsEntry("cap_speed", "16GT/s").containsEntry("sta_speed", "16GT/s");
    }

    @Test
    void failsALinkThatTrainedNarrower() throws Exception {
        CheckResult result = CheckOnLab.run(ssh, "lab-006", check, Map.of());
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.observed()).isEqualTo("x2 at 16GT/s (capable of x4 at 16GT/s)");
        assertThat(result.expected()).isEqualTo("x4");
        assertThat(result.message()).isEqualTo("nvme0 at 0000:01:00.0 trained at x2 of its x4 lanes");
        assertThat(result.figures()).containsEntry("sta_width", "2");

        assertThat(CheckOnLab.run(ssh, "lab-006", check, Map.of("controller", "nvme1")).status()).isEqualTo(Status.PASSED);
    }

    @Test
    void failsALinkThatTrainedBelowItsSpeed() throws Exception {
        CheckResult result = CheckOnLab.run(ssh, "lab-009", check, Map.of());
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.observed()).isEqualTo("x4 at 8GT/s (capable of x4 at 16GT/s)");
        assertThat(result.expected()).isEqualTo("16GT/s");
        assertThat(result.message()).isEqualTo("nvme0 at 0000:01:00.0 trained at 8GT/s, not the 16GT/s it is capable of");
        assertThat(result.figures()).containsEntry("sta_speed", "8GT/s").containsEntry("cap_speed", "16GT/s");

        assertThat(CheckOnLab.run(ssh, "lab-009", check, Map.of("controller", "nvme1")).status()).isEqualTo(Status.PASSED);
    }

    @Test
    void holdsTheLinkToTheLowestSpeedThePlanAllows() throws Exception {
        assertThat(CheckOnLab.run(ssh, "lab-001", check, Map.of("speed", "16")).status()).isEqualTo(Status.PASSED);
        assertThat(CheckOnLab.run(ssh, "lab-001", check, Map.of("speed", "8", "width", "4")).status()).isEqualTo(Status.PASSED);
        CheckResult belowPlan = CheckOnLab.run(ssh, "lab-001", check, Map.of("speed", "32"));
        assertThat(belowPlan.status()).isEqualTo(Status.FAILED);
        assertThat(belowPlan.expected()).isEqualTo("at least 32GT/s");
        assertThat(belowPlan.message()).isEqualTo("nvme0 is capable of only 16GT/s, not the 32GT/s the plan expects");
    }

    @Test
    void findsControllersBehindAVmdDomain() throws Exception {
        CheckResult result = CheckOnLab.run(ssh, "lab-011", check, Map.of());
        assertThat(result.status()).as(result.message()).isEqualTo(Status.PASSED);
        assertThat(result.observed()).isEqualTo("x4 at 16GT/s (capable of x4 at 16GT/s)");
        assertThat(result.expected()).isEqualTo("width and speed as capable");
        assertThat(result.figures()).containsEntry("bdf", "10000:e1:00.0");

        assertThat(CheckOnLab.run(ssh, "lab-011", check, Map.of("controller", "nvme1")).figures())
                .containsEntry("bdf", "10000:e2:00.0");
    }

    @Test
    void holdsTheLinkToTheWidthThePlanExpects() throws Exception {
        assertThat(CheckOnLab.run(ssh, "lab-001", check, Map.of("width", "4")).status()).isEqualTo(Status.PASSED);
        CheckResult wider = CheckOnLab.run(ssh, "lab-001", check, Map.of("width", "8"));
        assertThat(wider.status()).isEqualTo(Status.FAILED);
        assertThat(wider.expected()).isEqualTo("width x8");
        assertThat(wider.message()).contains("capable of only x4");
    }

    @Test
    void aControllerTheHostLacksFails() throws Exception {
        CheckResult result = CheckOnLab.run(ssh, "lab-002", check, Map.of("controller", "nvme5"));
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.observed()).isEqualTo("no nvme5");
        assertThat(result.message()).isEqualTo("the host has no NVMe controller nvme5");
    }

    @Test
    void rejectsBadParametersNamingTheField() {
        CheckOnLab.rejects(check, Map.of("controller", "nvme0;id", "width", "3"),
                "steps[0].params.controller", "steps[0].params.width");
        CheckOnLab.rejects(check, Map.of("width", "x4"), "steps[0].params.width");
        CheckOnLab.rejects(check, Map.of("speed", "16GT/s"), "steps[0].params.speed");
        CheckOnLab.rejects(check, Map.of("speed", "10"), "steps[0].params.speed");
    }
}
