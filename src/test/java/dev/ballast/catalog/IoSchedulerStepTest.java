package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.lab.HostState;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.remote.SshSession;
import dev.ballast.remote.TestSsh;

class IoSchedulerStepTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(5);
    final TuningStep.Configured<?> none = StepOnLab.configure(new IoSchedulerStep(), Map.of("device", "nvme0n1"));

    @Test
    void appliesVerifiesAndRollsBackToTheCapturedScheduler() throws Exception {
        HostState host = ssh.fleet().host("lab-001").state();
        try (SshSession shell = ssh.open("lab-001")) {
            StepState before = StepOnLab.fullCycle(shell, none);
            assertThat(before.get("scheduler")).isEqualTo("mq-deadline");
            assertThat(before.absent("rule")).isTrue();
        }
        assertThat(host.scheduler("nvme0n1")).isEqualTo("mq-deadline");
        assertThat(host.file("/etc/udev/rules.d/99-ballast-scheduler-nvme0n1.rules")).isNull();
    }

    @Test
    void persistsWithAUdevRuleMatchingTheWwid() throws Exception {
        try (SshSession shell = ssh.open("lab-002")) {
            none.apply(shell, none.probe(shell));
            assertThat(none.drift(none.probe(shell))).isEmpty();
        }
        HostState host = ssh.fleet().host("lab-002").state();
        assertThat(host.scheduler("nvme0n1")).isEqualTo("none");
        assertThat(host.file("/etc/udev/rules.d/99-ballast-scheduler-nvme0n1.rules"))
                .contains("ATTRS{wwid}==\"eui.0025385b00000002\"", "ATTR{queue/scheduler}=\"none\"");
    }

    @Test
    void aDeviceAlreadyOnNoneOnlyNeedsTheRule() throws Exception {
        try (SshSession shell = ssh.open("lab-005")) {
            StepState before = none.probe(shell);
            assertThat(none.drift(before)).extracting(Drift::fact).containsExactly("rule");
        }
    }

    @Test
    void verifyReportsAWriteThatDidNotStick() throws Exception {
        ssh.fleet().host("lab-003").faults().undoRuntimeWrites = true;
        try (SshSession shell = ssh.open("lab-003")) {
            none.apply(shell, none.probe(shell));
            Verification verification = none.verify(shell);
            assertThat(verification.applied()).isTrue();
            assertThat(verification.inEffect()).isFalse();
            assertThat(verification.passed(Effect.IMMEDIATE)).isFalse();
            assertThat(verification.note()).contains("runs mq-deadline, not none");
        } finally {
            ssh.fleet().host("lab-003").faults().clear();
        }
    }

    @Test
    void refusesASchedulerTheDeviceDoesNotOffer() throws Exception {
        try (SshSession shell = ssh.open("lab-004")) {
            TuningStep.Configured<?> kyberOnMissingDisk = StepOnLab.configure(new IoSchedulerStep(),
                    Map.of("device", "nvme7n1", "scheduler", "kyber"));
            assertThatThrownBy(() -> kyberOnMissingDisk.probe(shell)).isInstanceOf(StepRefusal.class)
                    .hasMessageContaining("no block device nvme7n1");
        }
    }

    @Test
    void rejectsBadParametersNamingTheField() {
        assertThatThrownBy(() -> new IoSchedulerStep().configure("steps[0].params", Map.of("device", "nvme0n1;reboot",
                "scheduler", "cfq", "colour", "red")))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).errors()).extracting(f -> f.field())
                        .containsExactlyInAnyOrder("steps[0].params.device", "steps[0].params.scheduler",
                                "steps[0].params.colour"));
    }
}
