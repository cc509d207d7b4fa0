package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.lab.HostState;
import dev.ballast.lab.Libvirt;
import dev.ballast.remote.SshSession;
import dev.ballast.remote.TestSsh;

/**
 * A step that survives a reboot is one whose persisted configuration brings the host back to the same
 * state when it boots; the lab reboots as a real host does (runtime state lost, then rebuilt from the
 * kernel command line, sysctl files, tmpfiles.d, udev rules and the guests' persistent XML). A change that
 * the next boot would undo is refused before it is made.
 */
class RebootTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(4);

    /** lab-002: vg_storage on nvme0n1, nvme1n1 empty, SELinux enforcing, vm-2-1 running (4 GiB), vm-2-2 shut off. */
    @Test
    void whatTheStepsPersistIsWhatTheHostBootsInto() throws Exception {
        HostState host = ssh.fleet().host("lab-002").state();
        Libvirt libvirt = host.libvirt();
        String vm21 = libvirt.uuidOf("vm-2-1");
        List<TuningStep.Configured<?>> steps = List.of(
                StepOnLab.configure(new IoSchedulerStep(), Map.of("device", "nvme0n1")),
                StepOnLab.configure(new HugepagesStep(), Map.of("count", "4096")),
                StepOnLab.configure(new RawDiskPermissionsStep(), Map.of("vg", "vg_storage")),
                StepOnLab.configure(new DiskCacheStep(), Map.of("domain", "all")),
                StepOnLab.configure(new VirtioScsiStep(), Map.of("domain", "all", "acceptUnknownGuests", "true")),
                StepOnLab.configure(new DomainHugepagesStep(), Map.of("domain", "all")),
                StepOnLab.configure(new LvmThinPoolStep(), Map.of("device", "nvme1n1", "vg", "vg_lab", "pool", "tp_lab", "size", "500G")));
        try (SshSession shell = ssh.open("lab-002")) {
            for (TuningStep.Configured<?> step : steps) {
                step.apply(shell, step.probe(shell));
            }
            assertThat(steps.get(3).pendingRestart(shell, steps.get(3).probe(shell))).as("vm-2-1 runs the old XML until restarted")
                    .extracting(PendingRestart::name).containsExactly("vm-2-1");
        }

        assertThat(host.reboot()).as("every guest starts again").isEmpty();

        assertThat(host.scheduler("nvme0n1")).isEqualTo("none");
        assertThat(host.hugepages2m()).isEqualTo(4096);
        assertThat(host.nodeMode("/dev/vg_storage/vm-web01")).isEqualTo("600");
        assertThat(libvirt.liveXml(vm21)).as("started from its persistent XML").contains("hugepages").contains("native");
        try (SshSession shell = ssh.open("lab-002")) {
            for (TuningStep.Configured<?> step : steps) {
                StepState after = step.probe(shell);
                assertThat(step.drift(after)).as(step.step().id() + " after the reboot").isEmpty();
                assertThat(step.pendingRestart(shell, after)).as(step.step().id() + " has no guest waiting").isEmpty();
            }
        }
    }

    /** What lives only in the running kernel is gone after a reboot, and check mode sees it then. */
    @Test
    void aChangeMadeOnlyAtRuntimeIsGoneAfterAReboot() throws Exception {
        HostState host = ssh.fleet().host("lab-003").state();
        TuningStep.Configured<?> scheduler = StepOnLab.configure(new IoSchedulerStep(), Map.of("device", "nvme0n1"));
        TuningStep.Configured<?> pages = StepOnLab.configure(new HugepagesStep(), Map.of("count", "512"));
        host.setScheduler("nvme0n1", "none");
        host.setHugepages2m(512);
        try (SshSession shell = ssh.open("lab-003")) {
            assertThat(scheduler.drift(scheduler.probe(shell))).extracting(Drift::fact).containsExactly("rule");
            assertThat(pages.drift(pages.probe(shell))).as("set with sysctl -w alone: the boot would reserve none")
                    .extracting(Drift::fact).containsExactly("persist", "boot");
        }

        host.reboot();

        assertThat(host.scheduler("nvme0n1")).isEqualTo("mq-deadline");
        assertThat(host.hugepages2m()).isZero();
    }

    /** Pages free now, reserved by hand with sysctl -w, are not there after a reboot: the guest would not start. */
    @Test
    void domainHugepagesRefusesGuestsTheNextBootHasNoPagesFor() throws Exception {
        HostState host = ssh.fleet().host("lab-004").state();
        TuningStep.Configured<?> backing = StepOnLab.configure(new DomainHugepagesStep(), Map.of("domain", "vm-4-1"));
        host.setHugepages2m(4096);
        try (SshSession shell = ssh.open("lab-004")) {
            assertThatThrownBy(() -> backing.apply(shell, backing.probe(shell))).isInstanceOf(StepRefusal.class)
                    .hasMessageContaining("the next boot reserves 0 pages of 2048 kB (nothing on the kernel command line or in "
                            + "sysctl sets vm.nr_hugepages)")
                    .hasMessageContaining("need 2048 beyond the 0 in use: they would not start after a reboot");
        }
        assertThat(host.libvirt().inactiveXml(host.libvirt().uuidOf("vm-4-1"))).doesNotContain("hugepages");

        host.setKernelCommandLine("BOOT_IMAGE=/boot/vmlinuz root=/dev/mapper/vg_os-root ro hugepages=4096");
        try (SshSession shell = ssh.open("lab-004")) {
            backing.apply(shell, backing.probe(shell));
        }
        host.libvirt().coldStart(host.libvirt().uuidOf("vm-4-1"));
        assertThat(host.reboot()).as("the kernel reserves the pages at boot").isEmpty();
        assertThat(host.hugepages2m()).isEqualTo(4096);
    }

    /** /etc/sysctl.conf is read after every sysctl.d file: an old line there would undo the step at the next boot. */
    @Test
    void hugepagesRefusesACountTheNextBootWouldUndo() throws Exception {
        HostState host = ssh.fleet().host("lab-001").state();
        TuningStep.Configured<?> pages = StepOnLab.configure(new HugepagesStep(), Map.of("count", "1024"));
        host.writeByHand("/etc/sysctl.d/10-early.conf", "vm.nr_hugepages = 64\n");
        host.writeByHand("/etc/sysctl.conf", "# tuned in 2019\nvm.swappiness = 10\nvm.nr_hugepages=0\n");
        try (SshSession shell = ssh.open("lab-001")) {
            assertThatThrownBy(() -> pages.apply(shell, pages.probe(shell))).isInstanceOf(StepRefusal.class)
                    .hasMessage("/etc/sysctl.conf sets vm.nr_hugepages = 0 and is read after /etc/sysctl.d/80-ballast-hugepages.conf, "
                            + "so the next boot would reserve 0 pages of 2M, not 1024, and guests backed by them would not start; "
                            + "remove that line or make it agree");
        }
        assertThat(host.hugepages2m()).as("refused before anything changed").isZero();
        assertThat(host.file("/etc/sysctl.d/80-ballast-hugepages.conf")).isNull();

        host.writeByHand("/etc/sysctl.conf", "# tuned in 2019\nvm.swappiness = 10\n");
        try (SshSession shell = ssh.open("lab-001")) {
            pages.apply(shell, pages.probe(shell));
            assertThat(pages.verify(shell).passed(Effect.IMMEDIATE)).as("a file read before Ballast's does not matter").isTrue();
            host.writeByHand("/etc/sysctl.d/90-tuning.conf", "vm.nr_hugepages = 128\n");
            assertThat(pages.drift(pages.probe(shell))).as("a file added later undoes it at boot: check mode says so")
                    .containsExactly(new Drift("boot", "1024", "128"));
        }
        host.reboot();
        assertThat(host.hugepages2m()).isEqualTo(128);
    }
}
