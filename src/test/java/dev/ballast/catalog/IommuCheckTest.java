package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.catalog.CheckResult.Status;
import dev.ballast.remote.TestSsh;

class IommuCheckTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(8);
    final IommuCheck check = new IommuCheck();

    @Test
    void passesWhenTheKernelEnabledTheIommu() throws Exception {
        CheckResult result = CheckOnLab.run(ssh, "lab-001", check, Map.of());
        assertThat(result.status()).isEqualTo(Status.PASSED);
        assertThat(result.observed()).isEqualTo("PASS");
    }

    @Test
    void failsWithTheValidatorsAdviceOnAWarning() throws Exception {
        CheckResult result = CheckOnLab.run(ssh, "lab-004", check, Map.of());
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.observed()).isEqualTo("WARN");
        assertThat(result.expected()).isEqualTo("PASS");
        assertThat(result.message()).isEqualTo(
                "IOMMU appears to be disabled in kernel. Add intel_iommu=on to kernel cmdline arguments");
    }

    @Test
    void failsAsNotReportedWithoutIommuHardware() throws Exception {
        CheckResult result = CheckOnLab.run(ssh, "lab-007", check, Map.of());
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.observed()).isEqualTo("not reported");
        assertThat(result.message()).contains("No ACPI DMAR table found");
    }

    @Test
    void readsTheLineEvenWhenAnotherCheckMakesTheValidatorExitNonZero() throws Exception {
        CheckResult result = CheckOnLab.run(ssh, "lab-008", check, Map.of());
        assertThat(result.status()).isEqualTo(Status.PASSED);
    }

    @Test
    void takesNoParameters() {
        CheckOnLab.rejects(check, Map.of("verbose", "1"), "steps[0].params.verbose");
    }
}
