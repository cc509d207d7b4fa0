package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.remote.SshSession;
import dev.ballast.remote.TestSsh;

class HugepagesStepTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(4);

    @Test
    void reserves2mPagesWithSysctlAndRollsBack() throws Exception {
        TuningStep.Configured<?> step = StepOnLab.configure(new HugepagesStep(), Map.of("count", "2048"));
        try (SshSession shell = ssh.open("lab-001")) {
            StepState before = StepOnLab.fullCycle(shell, step);
            assertThat(before.get("pages")).isEqualTo("0");
        }
        assertThat(ssh.fleet().host("lab-001").state().hugepages2m()).isZero();
        assertThat(ssh.fleet().host("lab-001").state().file("/etc/sysctl.d/80-ballast-hugepages.conf")).isNull();
    }

    @Test
    void persists1gPagesForTheNextBootThroughTmpfiles() throws Exception {
        TuningStep.Configured<?> step = StepOnLab.configure(new HugepagesStep(), Map.of("count", "16", "size", "1G"));
        try (SshSession shell = ssh.open("lab-002")) {
            StepOnLab.fullCycle(shell, step);
            step.apply(shell, step.probe(shell));
        }
        assertThat(ssh.fleet().host("lab-002").state().file("/etc/tmpfiles.d/ballast-hugepages-1G.conf"))
                .contains("w /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages - - - - 16");
    }

    @Test
    void aShortfallIsReportedNotHidden() throws Exception {
        // Within the reserve of a 256 GiB host, beyond the 2M blocks its fragmented memory still holds.
        TuningStep.Configured<?> step = StepOnLab.configure(new HugepagesStep(), Map.of("count", "100000"));
        try (SshSession shell = ssh.open("lab-003")) {
            step.apply(shell, step.probe(shell));
            Verification verification = step.verify(shell);
            assertThat(verification.inEffect()).isFalse();
            assertThat(verification.passed(Effect.IMMEDIATE)).isFalse();
            assertThat(verification.note()).contains("of 100000 pages").contains("not enough free contiguous memory");
        }
    }

    @Test
    void applyingTwiceIsAlreadyCompliant() throws Exception {
        TuningStep.Configured<?> step = StepOnLab.configure(new HugepagesStep(), Map.of("count", "512"));
        try (SshSession shell = ssh.open("lab-004")) {
            step.apply(shell, step.probe(shell));
            assertThat(step.drift(step.probe(shell))).isEmpty();
        }
    }
}
