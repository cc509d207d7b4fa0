package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.lab.HostState;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.SshSession;
import dev.ballast.remote.TestSsh;

class LvmThinPoolStepTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(7);

    static TuningStep.Configured<?> pool(String device, String vg) {
        return pool(device, vg, "500G");
    }

    static TuningStep.Configured<?> pool(String device, String vg, String size) {
        return StepOnLab.configure(new LvmThinPoolStep(),
                Map.of("device", device, "vg", vg, "pool", "tp_virt_data", "size", size));
    }

    @Test
    void createsPvGroupAndPoolOnABlankDiskAndRemovesAllThree() throws Exception {
        try (SshSession shell = ssh.open("lab-001")) {
            StepState before = StepOnLab.fullCycle(shell, pool("nvme1n1", "vg_storage"));
            assertThat(before.facts()).containsEntry("signatures", "none").containsEntry("pv", StepState.ABSENT)
                    .containsEntry("vg", StepState.ABSENT).containsEntry("pool", StepState.ABSENT);
        }
        HostState host = ssh.fleet().host("lab-001").state();
        assertThat(host.thinPool("vg_storage", "tp_virt_data")).isFalse();
        assertThat(host.volumeGroup("vg_storage")).isFalse();
        assertThat(host.physicalVolume("/dev/nvme1n1")).isFalse();
    }

    @Test
    void applyingTwiceIsAlreadyCompliant() throws Exception {
        TuningStep.Configured<?> step = pool("nvme1n1", "vg_storage");
        try (SshSession shell = ssh.open("lab-004")) {
            step.apply(shell, step.probe(shell));
            StepState after = step.probe(shell);
            assertThat(step.drift(after)).isEmpty();
            assertThat(after.facts()).containsEntry("pv", "vg_storage").containsEntry("vg", "/dev/nvme1n1")
                    .containsEntry("pool", "twi-a-tz--").containsEntry("pool_size", Long.toString(500L << 30))
                    .containsEntry("signatures", "LVM2_member").containsEntry("thin_volumes", "none");
            step.apply(shell, after);
            assertThat(step.probe(shell)).isEqualTo(after);
        }
        assertThat(ssh.fleet().host("lab-004").state().thinPool("vg_storage", "tp_virt_data")).isTrue();
    }

    @Test
    void onAnExistingGroupRollbackRemovesOnlyThePool() throws Exception {
        HostState host = ssh.fleet().host("lab-002").state();
        try (SshSession shell = ssh.open("lab-002")) {
            StepState before = StepOnLab.fullCycle(shell, pool("nvme0n1", "vg_storage"));
            assertThat(before.facts()).containsEntry("pv", "vg_storage").containsEntry("vg", "/dev/nvme0n1")
                    .containsEntry("pool", StepState.ABSENT);
        }
        assertThat(host.volumeGroup("vg_storage")).isTrue();
        assertThat(host.physicalVolume("/dev/nvme0n1")).isTrue();
        assertThat(host.logicalVolumes("vg_storage")).containsExactly("iso-archive", "vm-db01", "vm-web01");
    }

    /**
     * lab-001's multipath LUN is the kernel's dm-2, a PV of no group that pvs names /dev/mapper/mpatha: the
     * step must see the PV it was given as dm-2, create only the group and the pool, and keep the PV.
     */
    @Test
    void knowsAPhysicalVolumeThatPvsNamesByItsMapperName() throws Exception {
        try (SshSession shell = ssh.open("lab-001")) {
            StepState before = StepOnLab.fullCycle(shell, pool("dm-2", "vg_san"));
            assertThat(before.facts()).containsEntry("pv", LvmThinPoolStep.ORPHAN).containsEntry("vg", StepState.ABSENT)
                    .containsEntry("signatures", "LVM2_member");
        }
        HostState host = ssh.fleet().host("lab-001").state();
        assertThat(host.volumeGroup("vg_san")).isFalse();
        assertThat(host.physicalVolume("/dev/mapper/mpatha")).isTrue();
    }

    @Test
    void refusesADiskThatHoldsASignature() throws Exception {
        try (SshSession shell = ssh.open("lab-001")) {
            assertRefused(() -> pool("sdb", "vg_storage").probe(shell), "/dev/sdb holds signatures (ext4)");
        }
        assertThat(ssh.fleet().host("lab-001").state().physicalVolume("/dev/sdb")).isFalse();
    }

    @Test
    void refusesAPartitionedDisk() throws Exception {
        try (SshSession shell = ssh.open("lab-001")) {
            assertRefused(() -> pool("sda", "vg_storage").probe(shell), "/dev/sda holds signatures (gpt, gpt, PMBR)");
        }
    }

    @Test
    void refusesADiskOfAnotherVolumeGroup() throws Exception {
        try (SshSession shell = ssh.open("lab-003")) {
            assertRefused(() -> pool("nvme0n1", "vg_storage").probe(shell),
                    "/dev/nvme0n1 is a physical volume of volume group vg_data");
        }
    }

    @Test
    void refusesAGroupThatSpansOtherDevices() throws Exception {
        try (SshSession shell = ssh.open("lab-003")) {
            assertRefused(() -> pool("nvme0n1", "vg_data").probe(shell),
                    "volume group vg_data spans 2 physical volumes (/dev/nvme0n1, /dev/sdb)");
        }
    }

    @Test
    void refusesAGroupThatLivesOnAnotherDevice() throws Exception {
        try (SshSession shell = ssh.open("lab-002")) {
            assertRefused(() -> pool("nvme1n1", "vg_storage").probe(shell),
                    "volume group vg_storage lives on /dev/nvme0n1, not on /dev/nvme1n1");
        }
        assertThat(ssh.fleet().host("lab-002").state().physicalVolume("/dev/nvme1n1")).isFalse();
    }

    @Test
    void rollbackIsRefusedOnceThePoolHoldsAThinVolume() throws Exception {
        TuningStep.Configured<?> step = pool("nvme1n1", "vg_storage");
        HostState host = ssh.fleet().host("lab-007").state();
        try (SshSession shell = ssh.open("lab-007")) {
            StepState before = step.probe(shell);
            step.apply(shell, before);
            host.createThinVolume("vg_storage", "tp_virt_data", "vm-new01", 100L << 30);
            assertThatThrownBy(() -> step.rollback(shell, RestorePoint.of(before))).isInstanceOf(StepRefusal.class)
                    .hasMessageContaining("now holds thin volume(s) vm-new01")
                    .satisfies(e -> assertThat(((StepRefusal) e).kind()).isEqualTo(StepRefusal.Kind.IRREVERSIBLE));
            assertThat(step.probe(shell).get("thin_volumes")).isEqualTo("vm-new01");
        }
        assertThat(host.thinPool("vg_storage", "tp_virt_data")).isTrue();
        assertThat(host.logicalVolumes("vg_storage")).containsExactly("tp_virt_data", "vm-new01");
    }

    @Test
    void aPoolLargerThanTheFreeSpaceFailsWithLvmsMessage() throws Exception {
        TuningStep.Configured<?> step = pool("nvme0n1", "vg_storage", "2T");
        try (SshSession shell = ssh.open("lab-005")) {
            assertThatThrownBy(() -> step.apply(shell, step.probe(shell))).isInstanceOf(RemoteFailure.class)
                    .hasMessageContaining("Volume group \"vg_storage\" has insufficient free space");
        }
        assertThat(ssh.fleet().host("lab-005").state().thinPool("vg_storage", "tp_virt_data")).isFalse();
    }

    @Test
    void rejectsBadParametersNamingTheField() {
        assertFields(Map.of("device", "nvme1n1", "vg", "vg;reboot", "pool", "snapshot", "size", "1X"),
                "steps[0].params.vg", "steps[0].params.pool", "steps[0].params.size");
        assertFields(Map.of("device", "nvme1n1p1", "vg", "..", "pool", "tp", "size", "500G"),
                "steps[0].params.device", "steps[0].params.vg");
        assertFields(Map.of("device", "nvme1n1", "vg", "-x", "pool", "tp_tmeta", "size", "500G"),
                "steps[0].params.vg", "steps[0].params.pool");
    }

    private static void assertFields(Map<String, String> params, String... fields) {
        assertThatThrownBy(() -> new LvmThinPoolStep().configure("steps[0].params", params))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).errors()).extracting(f -> f.field())
                        .containsExactlyInAnyOrder(fields));
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String reason) {
        assertThatThrownBy(call).isInstanceOf(StepRefusal.class).hasMessageContaining(reason)
                .satisfies(e -> assertThat(((StepRefusal) e).kind()).isEqualTo(StepRefusal.Kind.UNSAFE));
    }
}
