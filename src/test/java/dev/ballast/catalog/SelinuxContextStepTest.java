package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.problem.InvalidInputException;
import dev.ballast.remote.Command;
import dev.ballast.remote.SshSession;
import dev.ballast.remote.TestSsh;

class SelinuxContextStepTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(7);

    static TuningStep.Configured<?> context(String vg) {
        return StepOnLab.configure(new SelinuxContextStep(), Map.of("vg", vg));
    }

    /**
     * lab-002's vg_storage disks are dm-3 (vm-db01) and dm-2 (vm-web01), behind /dev/vg_storage links: a rule
     * for /dev/vg_storage(/.*)? would label only the links, and the nodes' labels are sVirt's. Refused, naming
     * the nodes, before anything changes.
     */
    @Test
    void refusesToLabelTheDiskNodesThatSvirtLabels() throws Exception {
        try (SshSession shell = ssh.open("lab-002")) {
            assertUnsafe(() -> context("vg_storage").probe(shell),
                    "/dev/vg_storage/vm-db01 -> /dev/dm-3, /dev/vg_storage/vm-web01 -> /dev/dm-2");
        }
        assertThat(ssh.fleet().host("lab-002").state().fcontextType("/dev/vg_storage(/.*)?")).isEqualTo("fixed_disk_device_t");
    }

    /** A group holding only a thin pool has no disk yet; the volumes to come would be dm nodes all the same. */
    @Test
    void refusesAGroupThatHasNoDiskYet() throws Exception {
        TuningStep.Configured<?> pool = StepOnLab.configure(new LvmThinPoolStep(),
                Map.of("device", "nvme1n1", "vg", "vg_new", "pool", "tp_new", "size", "500G"));
        try (SshSession shell = ssh.open("lab-001")) {
            pool.apply(shell, pool.probe(shell));
            assertUnsafe(() -> context("vg_new").probe(shell), "vg_new has no active volume yet");
        }
        assertThat(ssh.fleet().host("lab-001").state().fcontextType("/dev/vg_new(/.*)?")).isNull();
    }

    @Test
    void permissiveHostsAreRefusedToo() throws Exception {
        try (SshSession shell = ssh.open("lab-003")) {
            assertUnsafe(() -> context("vg_data").probe(shell), "/dev/vg_data/vm-app01 -> /dev/dm-2");
        }
    }

    /** Rollback points an earlier Ballast captured still undo the rule it added, and restore one it changed. */
    @Test
    void rollbackUndoesTheRuleAnEarlierVersionAddedOrChanged() throws Exception {
        TuningStep.Configured<?> step = context("vg_storage");
        try (SshSession shell = ssh.open("lab-005")) {
            shell.check(Command.of("semanage", "fcontext", "-a", "-t", "virt_image_t", "/dev/vg_storage(/.*)?"));
            step.rollback(shell, RestorePoint.of(StepState.builder().put("fcontext", null).build()));
        }
        assertThat(ssh.fleet().host("lab-005").state().fcontextType("/dev/vg_storage(/.*)?")).isNull();
        try (SshSession shell = ssh.open("lab-006")) {
            shell.check(Command.of("semanage", "fcontext", "-m", "-t", "virt_image_t", "/dev/vg_storage(/.*)?"));
            step.rollback(shell, RestorePoint.of(StepState.builder().put("fcontext", "fixed_disk_device_t").build()));
        }
        assertThat(ssh.fleet().host("lab-006").state().fcontextType("/dev/vg_storage(/.*)?")).isEqualTo("fixed_disk_device_t");
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

    private static void assertUnsafe(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String reason) {
        assertThatThrownBy(call).isInstanceOf(StepRefusal.class).hasMessageContaining(reason)
                .satisfies(e -> assertThat(((StepRefusal) e).kind()).isEqualTo(StepRefusal.Kind.UNSAFE));
    }

    private static void assertNotApplicable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String reason) {
        assertThatThrownBy(call).isInstanceOf(StepRefusal.class).hasMessageContaining(reason)
                .satisfies(e -> assertThat(((StepRefusal) e).kind()).isEqualTo(StepRefusal.Kind.NOT_APPLICABLE));
    }
}
