package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.problem.InvalidInputException;
import dev.ballast.remote.SshSession;
import dev.ballast.remote.TestSsh;

class SelinuxContextStepTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(7);

    static TuningStep.Configured<?> context(String vg) {
        return StepOnLab.configure(new SelinuxContextStep(), Map.of("vg", vg));
    }

    @Test
    void addsTheRuleRelabelsAndDeletesItOnRollback() throws Exception {
        try (SshSession shell = ssh.open("lab-005")) {
            StepState before = StepOnLab.fullCycle(shell, context("vg_storage"));
            assertThat(before.absent("fcontext")).isTrue();
        }
        assertThat(ssh.fleet().host("lab-005").state().fcontextType("/dev/vg_storage(/.*)?")).isNull();
        assertThat(ssh.fleet().host("lab-005").state().fcontextType("/srv/images(/.*)?")).isEqualTo("virt_image_t");
    }

    @Test
    void modifiesARuleOfAnotherTypeAndPutsItBack() throws Exception {
        try (SshSession shell = ssh.open("lab-002")) {
            StepState before = StepOnLab.fullCycle(shell, context("vg_storage"));
            assertThat(before.get("fcontext")).isEqualTo("fixed_disk_device_t");
        }
        assertThat(ssh.fleet().host("lab-002").state().fcontextType("/dev/vg_storage(/.*)?")).isEqualTo("fixed_disk_device_t");
    }

    @Test
    void applyingTwiceIsAlreadyCompliant() throws Exception {
        TuningStep.Configured<?> step = context("vg_data");
        try (SshSession shell = ssh.open("lab-006")) {
            step.apply(shell, step.probe(shell));
            StepState after = step.probe(shell);
            assertThat(step.drift(after)).isEmpty();
            step.apply(shell, after);
            assertThat(step.probe(shell)).isEqualTo(after);
        }
        assertThat(ssh.fleet().host("lab-006").state().fcontextType("/dev/vg_data(/.*)?")).isEqualTo("virt_image_t");
    }

    /** A group holding only a thin pool has no /dev directory yet; the rule is for the volumes to come. */
    @Test
    void labelsAGroupThatHasNoDeviceDirectoryYet() throws Exception {
        TuningStep.Configured<?> pool = StepOnLab.configure(new LvmThinPoolStep(),
                Map.of("device", "nvme1n1", "vg", "vg_new", "pool", "tp_new", "size", "500G"));
        try (SshSession shell = ssh.open("lab-001")) {
            pool.apply(shell, pool.probe(shell));
            StepOnLab.fullCycle(shell, context("vg_new"));
        }
        assertThat(ssh.fleet().host("lab-001").state().fcontextType("/dev/vg_new(/.*)?")).isNull();
    }

    @Test
    void permissiveHostsAreApplicable() throws Exception {
        try (SshSession shell = ssh.open("lab-003")) {
            StepOnLab.fullCycle(shell, context("vg_data"));
        }
    }

    @Test
    void notApplicableWhereSelinuxIsAbsent() throws Exception {
        try (SshSession shell = ssh.open("lab-004")) {
            assertNotApplicable(() -> context("vg_os").probe(shell), "SELinux is absent");
        }
    }

    @Test
    void notApplicableWhereSelinuxIsDisabled() throws Exception {
        try (SshSession shell = ssh.open("lab-007")) {
            assertNotApplicable(() -> context("vg_os").probe(shell), "SELinux is disabled");
        }
    }

    @Test
    void aDotInTheGroupNameMatchesOnlyADot() {
        SelinuxContextStep.Params params = new SelinuxContextStep.Params(new VolumeGroup("vg.vms"));
        assertThat(params.spec().arg()).isEqualTo("/dev/vg\\.vms(/.*)?");
    }

    @Test
    void rejectsBadParametersNamingTheField() {
        for (String vg : new String[] {"vg;reboot", "..", "-x", "vg(/.*)?"}) {
            assertThatThrownBy(() -> new SelinuxContextStep().configure("steps[0].params", Map.of("vg", vg)))
                    .isInstanceOf(InvalidInputException.class)
                    .satisfies(e -> assertThat(((InvalidInputException) e).errors()).extracting(f -> f.field())
                            .containsExactly("steps[0].params.vg"));
        }
    }

    private static void assertNotApplicable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String reason) {
        assertThatThrownBy(call).isInstanceOf(StepRefusal.class).hasMessageContaining(reason)
                .satisfies(e -> assertThat(((StepRefusal) e).kind()).isEqualTo(StepRefusal.Kind.NOT_APPLICABLE));
    }
}
