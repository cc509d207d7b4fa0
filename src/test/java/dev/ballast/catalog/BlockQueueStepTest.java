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

/**
 * The request queue's depth and read-ahead, as the kernel takes them: sda (SATA, NCQ depth 32) runs mq-deadline with
 * 64 requests; nvme1n1 runs none, whose depth is capped by the controller's 1023 tags; on lab-001 nvme0n1 runs
 * mq-deadline (256).
 */
class BlockQueueStepTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(4);
    private static final String SDA_RULE = "/etc/udev/rules.d/99-ballast-tuning-queue-sda.rules";

    @Test
    void appliesVerifiesAndRollsBackBothValuesAndTheRuleFileByteForByte() throws Exception {
        HostState host = ssh.fleet().host("lab-001").state();
        String earlier = "# an older rule of Ballast's, left by a run of an earlier version\n"
                + "ACTION==\"add|change\", SUBSYSTEM==\"block\", KERNEL==\"sda\", ATTR{queue/read_ahead_kb}=\"512\"\n";
        host.writeByHand(SDA_RULE, earlier);
        TuningStep.Configured<?> queue = StepOnLab.configure(new BlockQueueStep(),
                Map.of("device", "sda", "nrRequests", "256", "readAheadKb", "1024"));
        try (SshSession shell = ssh.open("lab-001")) {
            StepState before = queue.probe(shell);
            assertThat(before.facts()).containsEntry("nr_requests", "64").containsEntry("read_ahead_kb", "128")
                    .containsEntry("rule", earlier);
            queue.apply(shell, before);
            assertThat(queue.verify(shell).passed(Effect.IMMEDIATE)).isTrue();
            assertThat(host.file(SDA_RULE)).isEqualTo("# Written by Ballast (step block-queue); removed by its rollback.\n"
                    + "ACTION==\"add|change\", SUBSYSTEM==\"block\", ATTRS{wwid}==\"naa.5000c50000000001\", "
                    + "ATTR{queue/nr_requests}=\"256\", ATTR{queue/read_ahead_kb}=\"1024\"\n");
            queue.rollback(shell, RestorePoint.of(before));
            assertThat(queue.probe(shell)).isEqualTo(before);
        }
        assertThat(host.file(SDA_RULE)).isEqualTo(earlier);
        assertThat(host.file("/sys/block/sda/queue/nr_requests")).isEqualTo("64\n");
        assertThat(host.file("/sys/block/sda/queue/read_ahead_kb")).isEqualTo("128\n");
    }

    @Test
    void aDepthTheDeviceRejectsIsRefusedBeforeAnythingChanges() throws Exception {
        HostState host = ssh.fleet().host("lab-002").state();
        TuningStep.Configured<?> deep = StepOnLab.configure(new BlockQueueStep(),
                Map.of("device", "nvme1n1", "nrRequests", "2048", "readAheadKb", "256"));
        try (SshSession shell = ssh.open("lab-002")) {
            assertThatThrownBy(() -> deep.apply(shell, deep.probe(shell))).isInstanceOf(StepRefusal.class)
                    .hasMessageContaining("nvme1n1 rejected queue/nr_requests 2048 (Invalid argument)")
                    .hasMessageContaining("scheduler [none] mq-deadline kyber bfq");
            TuningStep.Configured<?> stacked = StepOnLab.configure(new BlockQueueStep(), Map.of("device", "dm-0", "nrRequests", "64"));
            assertThatThrownBy(() -> stacked.apply(shell, stacked.probe(shell))).isInstanceOf(StepRefusal.class)
                    .hasMessageContaining("dm-0 rejected queue/nr_requests 64 (Invalid argument)");
        }
        assertThat(host.file("/sys/block/nvme1n1/queue/nr_requests")).isEqualTo("1023\n");
        assertThat(host.file("/sys/block/nvme1n1/queue/read_ahead_kb")).isEqualTo("128\n");
        assertThat(host.file("/etc/udev/rules.d/99-ballast-tuning-queue-nvme1n1.rules")).isNull();
    }

    /** A stacked device's read-ahead is its own, though it takes no depth: rollback writes back only what changed. */
    @Test
    void aStackedDevicesReadAheadIsSetAndRolledBack() throws Exception {
        try (SshSession shell = ssh.open("lab-004")) {
            StepState before = StepOnLab.fullCycle(shell, StepOnLab.configure(new BlockQueueStep(),
                    Map.of("device", "dm-0", "readAheadKb", "4096")));
            assertThat(before.facts()).containsEntry("nr_requests", "128").containsEntry("read_ahead_kb", "128");
        }
    }

    /** The rule sorts after the scheduler's: at boot the scheduler switch resets the depth, then the depth is set. */
    @Test
    void theDepthSurvivesARebootThatAlsoSwitchesTheScheduler() throws Exception {
        HostState host = ssh.fleet().host("lab-003").state();
        TuningStep.Configured<?> none = StepOnLab.configure(new IoSchedulerStep(), Map.of("device", "nvme0n1"));
        TuningStep.Configured<?> queue = StepOnLab.configure(new BlockQueueStep(), Map.of("device", "nvme0n1", "nrRequests", "512"));
        try (SshSession shell = ssh.open("lab-003")) {
            none.apply(shell, none.probe(shell));
            assertThat(host.file("/sys/block/nvme0n1/queue/nr_requests")).as("none gives the controller's depth").isEqualTo("1023\n");
            queue.apply(shell, queue.probe(shell));
        }
        host.reboot();
        assertThat(host.scheduler("nvme0n1")).isEqualTo("none");
        assertThat(host.file("/sys/block/nvme0n1/queue/nr_requests")).isEqualTo("512\n");
        try (SshSession shell = ssh.open("lab-003")) {
            assertThat(queue.drift(queue.probe(shell))).isEmpty();
        }
    }

    @Test
    void parametersAreValidatedStrictly() {
        assertThatThrownBy(() -> StepOnLab.configure(new BlockQueueStep(), Map.of("device", "sda")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("step.nrRequests");
        assertThatThrownBy(() -> StepOnLab.configure(new BlockQueueStep(), Map.of("device", "sda", "nrRequests", "256;reboot")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("step.nrRequests");
        assertThatThrownBy(() -> StepOnLab.configure(new BlockQueueStep(), Map.of("device", "sda", "readAheadKb", "70000")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("step.readAheadKb");
    }
}
