package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.catalog.CheckResult.Status;
import dev.ballast.remote.TestSsh;

class FioBaselineCheckTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(2);
    final FioBaselineCheck check = new FioBaselineCheck();

    @Test
    void readsTheFiguresPastAWarningLine() throws Exception {
        CheckResult result = CheckOnLab.run(ssh, "lab-001", check, Map.of("device", "nvme0n1", "runtime", "5"));
        assertThat(result.status()).isEqualTo(Status.PASSED);
        assertThat(result.figures()).containsOnly(Map.entry("iops", "612518"), Map.entry("clat_p50_us", "204.8"),
                Map.entry("clat_p99_us", "411.6"));
        assertThat(result.observed()).isEqualTo("612518 IOPS, p99 411.6 µs");
    }

    @Test
    void readsTheFiguresOfAPlainReport() throws Exception {
        CheckResult result = CheckOnLab.run(ssh, "lab-002", check, Map.of("device", "sda"));
        assertThat(result.status()).isEqualTo(Status.PASSED);
        assertThat(result.figures()).containsEntry("iops", "71903").containsEntry("clat_p50_us", "1777.7")
                .containsEntry("clat_p99_us", "3063.8");
    }

    @Test
    void failsWithFiosComplaintWhenItCannotRun() throws Exception {
        CheckResult result = CheckOnLab.run(ssh, "lab-001", check, Map.of("device", "nvme7n1"));
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.observed()).isEqualTo("fio exited 1");
        assertThat(result.message()).isEqualTo("fio failed: baseline: you need to specify size=");
    }

    @Test
    void sendsAReadOnlyJob() {
        FioBaselineCheck.Params params = new FioBaselineCheck.Params(new BlockDevice("nvme0n1"), Count.parse("30", 1, 300));
        assertThat(FioBaselineCheck.command(params).argv()).contains("--readonly", "--rw=randread", "--runtime=30",
                "--filename=/dev/nvme0n1");
        assertThat(check.description()).contains("--readonly");
    }

    @Test
    void rejectsBadParametersNamingTheField() {
        CheckOnLab.rejects(check, Map.of("device", "../sda", "runtime", "0"),
                "steps[0].params.device", "steps[0].params.runtime");
        CheckOnLab.rejects(check, Map.of("runtime", "301"), "steps[0].params.device", "steps[0].params.runtime");
    }
}
