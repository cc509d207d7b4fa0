package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.lab.Libvirt;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteShell;
import dev.ballast.remote.SshSession;
import dev.ballast.remote.TestSsh;

/**
 * emulator-pinning on the lab: lab-001 has 16 CPUs with 2-3 isolated and no vCPU pins, lab-002 8 CPUs with vm-2-1's
 * vCPUs pinned to 2 and 3, lab-003 16 CPUs of which CPU 15 is offline.
 */
class EmulatorPinningStepTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(3);

    @Test
    void pinsRunningDomainsLiveAndEveryDomainPersistentlyAndRollsBackBoth() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-001").state().libvirt();
        DomainRef.Uuid running = new DomainRef.Uuid(libvirt.uuidOf("vm-1-1"));
        DomainRef.Uuid shutOff = new DomainRef.Uuid(libvirt.uuidOf("vm-1-2"));
        String persistentBefore = libvirt.inactiveXml(running.value());
        TuningStep.Configured<?> step = StepOnLab.configure(new EmulatorPinningStep(), Map.of("domain", "all", "cpuset", "2"));
        try (SshSession shell = ssh.open("lab-001")) {
            StepState before = step.probe(shell);
            assertThat(before.facts()).containsEntry("live/" + running.value(), "0-15").containsEntry("host/cpus-online", "0-15")
                    .containsEntry("host/cpus-isolated", "2-3").doesNotContainKey("live/" + shutOff.value()).doesNotContainKey("warning");
            assertThat(step.drift(before)).extracting(Drift::fact).contains("domain/" + running.value() + " (vm-1-1) emulatorpin",
                    "live/" + running.value() + " the emulator threads (running now)");

            step.apply(shell, before);
            assertThat(emulatorpin(shell, running)).isEqualTo("2");
            assertThat(libvirt.liveXml(running.value())).contains("<emulatorpin cpuset='2'/>");
            assertThat(libvirt.inactiveXml(running.value())).contains("<emulatorpin cpuset='2'/>");
            assertThat(libvirt.inactiveXml(shutOff.value())).contains("<emulatorpin cpuset='2'/>");
            Verification verification = step.verify(shell);
            assertThat(verification.passed(step.effect())).as(verification.note()).isTrue();
            assertThat(verification.pendingRestart()).isEmpty();
            assertThat(verification.note()).contains("within the host's isolated CPUs (2-3)").doesNotContain("WARNING");
            assertThat(step.drift(step.probe(shell))).as("a second apply finds nothing to do").isEmpty();

            step.rollback(shell, RestorePoint.of(before));
            assertThat(emulatorpin(shell, running)).as("live affinity restored").isEqualTo("0-15");
            assertThat(emulatorpin(shell, shutOff)).as("the shut-off domain's persistent pin is gone").isEqualTo("0-15");
            assertThat(DomainXml.canonical(libvirt.inactiveXml(running.value()))).as("persistent XML restored exactly")
                    .isEqualTo(DomainXml.canonical(persistentBefore));
            assertThat(step.probe(shell)).isEqualTo(before);
        }
    }

    @Test
    void thePersistentPinIsWhatTheDomainRunsWithAfterAColdStart() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-003").state().libvirt();
        DomainRef.Uuid uuid = new DomainRef.Uuid(libvirt.uuidOf("vm-3-1"));
        TuningStep.Configured<?> step = StepOnLab.configure(new EmulatorPinningStep(), Map.of("domain", "vm-3-1", "cpuset", "4-5"));
        try (SshSession shell = ssh.open("lab-003")) {
            StepState before = step.probe(shell);
            assertThat(before.get("live/" + uuid.value())).as("CPU 15 is offline").isEqualTo("0-14");
            step.apply(shell, before);
            libvirt.coldStart(uuid.value());
            assertThat(emulatorpin(shell, uuid)).isEqualTo("4-5");
            step.rollback(shell, RestorePoint.of(before));
            assertThat(emulatorpin(shell, uuid)).isEqualTo("0-14");
            libvirt.coldStart(uuid.value());
            assertThat(libvirt.liveXml(uuid.value())).doesNotContain("emulatorpin");
        }
    }

    @Test
    void refusesOfflineAndAbsentCpusBeforeAnyChange() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-003").state().libvirt();
        String uuid = libvirt.uuidOf("vm-3-1");
        String persistent = libvirt.inactiveXml(uuid);
        String live = libvirt.liveXml(uuid);
        try (SshSession shell = ssh.open("lab-003")) {
            for (String cpuset : new String[] {"15", "14-15", "16", "2,40"}) {
                TuningStep.Configured<?> step = StepOnLab.configure(new EmulatorPinningStep(), Map.of("domain", "vm-3-1", "cpuset", cpuset));
                assertThatThrownBy(() -> step.probe(shell)).as(cpuset).isInstanceOf(StepRefusal.class)
                        .hasMessageContaining("is not online on this host (online: 0-14; absent or offline)");
            }
        }
        assertThat(libvirt.inactiveXml(uuid)).isEqualTo(persistent);
        assertThat(libvirt.liveXml(uuid)).isEqualTo(live);
    }

    @Test
    void warnsInTheStateAndTheVerifyNoteWhenTheCpusetOverlapsVcpuPins() throws Exception {
        TuningStep.Configured<?> step = StepOnLab.configure(new EmulatorPinningStep(), Map.of("domain", "vm-2-2", "cpuset", "3-4"));
        try (SshSession shell = ssh.open("lab-002")) {
            StepState before = step.probe(shell);
            assertThat(before.get("warning")).isEqualTo("cpuset 3-4 overlaps the vCPU pins of vm-2-1 vcpu 1 on 3: those vCPUs"
                    + " and the emulator threads compete for the same CPU, which a dedicated core is meant to prevent");
            step.apply(shell, before);
            Verification verification = step.verify(shell);
            assertThat(verification.passed(step.effect())).isTrue();
            assertThat(verification.note()).startsWith("WARNING: cpuset 3-4 overlaps the vCPU pins of vm-2-1 vcpu 1 on 3")
                    .contains("is not within the host's isolated CPUs (none)");
            step.rollback(shell, RestorePoint.of(before));
        }
    }

    /** libvirt places every vCPU without a vcpupin on {@code <vcpu cpuset=>}: an overlap with it is an overlap too. */
    @Test
    void warnsWhenTheCpusetOverlapsAGuestsVcpuPlacement() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-003").state().libvirt();
        String other = libvirt.uuidOf("vm-3-2");
        java.util.function.UnaryOperator<String> placed = xml -> xml.replaceFirst("<vcpu placement='static'>", "<vcpu placement='static' cpuset='6-7'>");
        libvirt.editByHand(other, placed);
        try (SshSession shell = ssh.open("lab-003")) {
            TuningStep.Configured<?> step = StepOnLab.configure(new EmulatorPinningStep(), Map.of("domain", "vm-3-1", "cpuset", "7"));
            assertThat(step.probe(shell).get("warning")).isEqualTo("cpuset 7 overlaps the vCPU pins of vm-3-2 vcpus without a vcpupin "
                    + "(<vcpu cpuset>) on 6-7: those vCPUs and the emulator threads compete for the same CPU, which a dedicated core is "
                    + "meant to prevent");
            TuningStep.Configured<?> apart = StepOnLab.configure(new EmulatorPinningStep(), Map.of("domain", "vm-3-1", "cpuset", "5"));
            assertThat(apart.probe(shell).facts()).doesNotContainKey("warning");
        } finally {
            libvirt.editByHand(other, xml -> xml.replace(" cpuset='6-7'>", ">"));
        }
    }

    @Test
    void theLabsVirshRefusesCpusAsLibvirtDoes() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-003").state().libvirt();
        DomainRef.Uuid running = new DomainRef.Uuid(libvirt.uuidOf("vm-3-1"));
        DomainRef.Uuid shutOff = new DomainRef.Uuid(libvirt.uuidOf("vm-3-2"));
        try (SshSession shell = ssh.open("lab-003")) {
            assertThat(pin(shell, running, "16").stderr()).isEqualTo("error: CPU 16 in cpulist '16' exceed the maxcpu 16\n");
            assertThat(pin(shell, running, "15").stderr()).isEqualTo("error: cannot set CPU affinity on process 4001: Invalid argument\n");
            assertThat(pin(shell, shutOff, "2").stderr()).isEqualTo("error: Requested operation is not valid: domain is not running\n");
            assertThat(pin(shell, running, "15").exitCode()).isEqualTo(1);
        }
        assertThat(libvirt.liveXml(running.value())).doesNotContain("emulatorpin");
    }

    @Test
    void rejectsABadCpusetNamingTheFieldBeforeAnythingRuns() {
        for (String bad : new String[] {"2;reboot", "3-1", "", "-1", "2,,3", "$(id)", "99999"}) {
            assertThatThrownBy(() -> new EmulatorPinningStep().configure("steps[0].params", Map.of("domain", "all", "cpuset", bad)))
                    .as(bad).isInstanceOf(InvalidInputException.class)
                    .satisfies(e -> assertThat(((InvalidInputException) e).errors()).extracting(f -> f.field())
                            .containsExactly("steps[0].params.cpuset"));
        }
        assertThat(new EmulatorPinningStep().configure("p", Map.of("domain", "all", "cpuset", "5,2-3,4")).params().cpuset())
                .hasToString("2-5");
    }

    private static String emulatorpin(RemoteShell shell, DomainRef.Uuid uuid) throws Exception {
        return Pinning.emulator(shell, uuid).toString();
    }

    private static CommandResult pin(RemoteShell shell, DomainRef.Uuid uuid, String cpus) throws Exception {
        return shell.run(Command.of("virsh", "emulatorpin").arg(uuid).arg(() -> cpus).literal("--live"));
    }
}
