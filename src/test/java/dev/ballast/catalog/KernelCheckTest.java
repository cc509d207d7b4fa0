package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.catalog.CheckResult.Status;
import dev.ballast.remote.TestSsh;

class KernelCheckTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(3);
    final KernelCheck check = new KernelCheck();

    @Test
    void passesOnACurrentKernel() throws Exception {
        CheckResult result = CheckOnLab.run(ssh, "lab-001", check, Map.of());
        assertThat(result.status()).isEqualTo(Status.PASSED);
        assertThat(result.observed()).isEqualTo("6.1.0-27-amd64");
        assertThat(result.expected()).isEqualTo(">= 5.15.0");
    }

    @Test
    void rhel9FailsTheDefaultMinimumAndPassesItsOwnPolicy() throws Exception {
        CheckResult strict = CheckOnLab.run(ssh, "lab-003", check, Map.of("min", "5.15"));
        assertThat(strict.status()).isEqualTo(Status.FAILED);
        assertThat(strict.observed()).isEqualTo("5.14.0-362.8.1.el9_3.x86_64");
        assertThat(strict.expected()).isEqualTo(">= 5.15.0");
        assertThat(strict.message()).contains("5.14.0 is older than the policy minimum 5.15.0");

        CheckResult rhelPolicy = CheckOnLab.run(ssh, "lab-003", check, Map.of("min", "5.14"));
        assertThat(rhelPolicy.status()).isEqualTo(Status.PASSED);
        assertThat(rhelPolicy.expected()).isEqualTo(">= 5.14.0");
    }

    @Test
    void comparesVersionsAsNumbersNotText() throws Exception {
        ssh.fleet().host("lab-002").state().setKernelRelease("5.9.16-1-default");
        try {
            assertThat(CheckOnLab.run(ssh, "lab-002", check, Map.of("min", "5.15")).status()).isEqualTo(Status.FAILED);
            assertThat(CheckOnLab.run(ssh, "lab-002", check, Map.of("min", "5.9.16")).status()).isEqualTo(Status.PASSED);
            assertThat(CheckOnLab.run(ssh, "lab-002", check, Map.of("min", "5.9.17")).status()).isEqualTo(Status.FAILED);
        } finally {
            ssh.fleet().host("lab-002").state().setKernelRelease("6.1.0-27-amd64");
        }
    }

    @Test
    void anUnparsableReleaseFailsShowingIt() throws Exception {
        ssh.fleet().host("lab-002").state().setKernelRelease("vmlinuz-custom");
        try {
            CheckResult result = CheckOnLab.run(ssh, "lab-002", check, Map.of());
            assertThat(result.status()).isEqualTo(Status.FAILED);
            assertThat(result.observed()).isEqualTo("vmlinuz-custom");
            assertThat(result.message()).contains("does not start with major.minor");
        } finally {
            ssh.fleet().host("lab-002").state().setKernelRelease("6.1.0-27-amd64");
        }
    }

    @Test
    void rejectsAMinimumThatIsNotAVersion() {
        CheckOnLab.rejects(check, Map.of("min", "5"), "steps[0].params.min");
        CheckOnLab.rejects(check, Map.of("min", "5.15;reboot"), "steps[0].params.min");
        CheckOnLab.rejects(check, Map.of("minimum", "5.15"), "steps[0].params.minimum");
    }
}
