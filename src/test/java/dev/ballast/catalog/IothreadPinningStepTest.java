package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.lab.Libvirt;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.remote.SshSession;
import dev.ballast.remote.TestSsh;

/**
 * iothread-pinning on the lab: lab-001 has 16 CPUs with 2-3 isolated, lab-002 8 CPUs with vm-2-1's vCPUs pinned
 * to 2 and 3, lab-003 16 CPUs of which CPU 15 is offline. No lab domain starts with an I/O thread.
 */
class IothreadPinningStepTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(3);

    @Test
    void addsAndPinsTheThreadLiveAndPersistentlyAndTheDiskBindingWaitsForAColdStart() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-001").state().libvirt();
        DomainRef.Uuid uuid = new DomainRef.Uuid(libvirt.uuidOf("vm-1-1"));
        String persistentBefore = libvirt.inactiveXml(uuid.value());
        TuningStep.Configured<?> step = StepOnLab.configure(new IothreadPinningStep(), Map.of("domain", "vm-1-1", "cpuset", "3"));
        try (SshSession shell = ssh.open("lab-001")) {
            StepState before = step.probe(shell);
            assertThat(before.get("live/" + uuid.value())).isEqualTo("none");

            step.apply(shell, before);
            assertThat(Pinning.iothreads(shell, uuid)).containsExactly(Map.entry(1, CpuSet.parse("3")));
            String persistent = DomainXml.canonical(libvirt.inactiveXml(uuid.value()));
            assertThat(persistent).contains("<iothreads>1</iothreads>").contains("<iothreadpin cpuset=\"3\" iothread=\"1\"/>")
                    .contains("<driver iothread=\"1\" name=\"qemu\" type=\"raw\"/>");
            assertThat(libvirt.liveXml(uuid.value())).as("a running disk keeps its I/O thread").doesNotContain("<driver iothread");
            Verification verification = step.verify(shell);
            assertThat(verification.applied()).as(verification.note()).isTrue();
            assertThat(verification.inEffect()).isFalse();
            assertThat(verification.passed(step.effect())).isTrue();
            assertThat(verification.pendingRestart()).extracting(PendingRestart::name).containsExactly("vm-1-1");
            assertThat(verification.note()).contains("next cold start").contains("within the host's isolated CPUs (2-3)");
            assertThat(step.drift(step.probe(shell))).as("a second apply finds nothing to do").isEmpty();

            step.rollback(shell, RestorePoint.of(before));
            assertThat(Pinning.iothreads(shell, uuid)).as("the thread added live is gone").isEmpty();
            assertThat(DomainXml.canonical(libvirt.inactiveXml(uuid.value()))).isEqualTo(DomainXml.canonical(persistentBefore));
            assertThat(step.probe(shell)).isEqualTo(before);
        }
    }

    @Test
    void aColdStartBringsTheBindingIntoEffect() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-003").state().libvirt();
        DomainRef.Uuid uuid = new DomainRef.Uuid(libvirt.uuidOf("vm-3-1"));
        TuningStep.Configured<?> step = StepOnLab.configure(new IothreadPinningStep(),
                Map.of("domain", "vm-3-1", "cpuset", "6-7", "iothread", "2"));
        try (SshSession shell = ssh.open("lab-003")) {
            StepState before = step.probe(shell);
            step.apply(shell, before);
            assertThat(step.pendingRestart(shell, step.probe(shell))).extracting(PendingRestart::name).containsExactly("vm-3-1");
            libvirt.coldStart(uuid.value());
            assertThat(step.pendingRestart(shell, step.probe(shell))).isEmpty();
            assertThat(step.verify(shell).inEffect()).isTrue();
            assertThat(libvirt.liveXml(uuid.value())).contains("iothread='2'");

            step.rollback(shell, RestorePoint.of(before));
            assertThat(Pinning.iothreads(shell, uuid)).as("its disks use the thread until the next cold start")
                    .containsOnlyKeys(1, 2);
            libvirt.coldStart(uuid.value());
            assertThat(step.probe(shell)).isEqualTo(before);
        }
    }

    @Test
    void rollbackPutsBackAnEarlierPinLiveAndInTheConfig() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-002").state().libvirt();
        DomainRef.Uuid uuid = new DomainRef.Uuid(libvirt.uuidOf("vm-2-1"));
        libvirt.editByHand(uuid.value(), xml -> xml.replace("  <cputune>\n", "  <iothreads>1</iothreads>\n  <cputune>\n")
                .replace("    <vcpupin vcpu='1' cpuset='3'/>\n", "    <vcpupin vcpu='1' cpuset='3'/>\n    <iothreadpin iothread='1' cpuset='5'/>\n"));
        libvirt.coldStart(uuid.value());
        String persistentBefore = libvirt.inactiveXml(uuid.value());
        TuningStep.Configured<?> step = StepOnLab.configure(new IothreadPinningStep(), Map.of("domain", "vm-2-1", "cpuset", "6"));
        try (SshSession shell = ssh.open("lab-002")) {
            StepState before = step.probe(shell);
            assertThat(before.get("live/" + uuid.value())).isEqualTo("1:5");
            step.apply(shell, before);
            assertThat(Pinning.iothreads(shell, uuid)).containsExactly(Map.entry(1, CpuSet.parse("6")));
            assertThat(DomainXml.canonical(libvirt.inactiveXml(uuid.value()))).contains("<iothreadpin cpuset=\"6\" iothread=\"1\"/>");

            step.rollback(shell, RestorePoint.of(before));
            assertThat(Pinning.iothreads(shell, uuid)).containsExactly(Map.entry(1, CpuSet.parse("5")));
            assertThat(libvirt.inactiveXml(uuid.value())).isEqualTo(persistentBefore);
            assertThat(step.probe(shell)).isEqualTo(before);
        }
    }

    @Test
    void warnsWhenTheThreadSharesACpuWithVcpuPinsAndRefusesOfflineCpus() throws Exception {
        TuningStep.Configured<?> overlapping = StepOnLab.configure(new IothreadPinningStep(), Map.of("domain", "vm-2-2", "cpuset", "2"));
        try (SshSession shell = ssh.open("lab-002")) {
            assertThat(overlapping.probe(shell).get("warning")).startsWith("cpuset 2 overlaps the vCPU pins of vm-2-1 vcpu 0 on 2")
                    .contains("and I/O thread 1 compete");
        }
        TuningStep.Configured<?> offline = StepOnLab.configure(new IothreadPinningStep(), Map.of("domain", "vm-3-1", "cpuset", "15"));
        try (SshSession shell = ssh.open("lab-003")) {
            assertThatThrownBy(() -> offline.probe(shell)).isInstanceOf(StepRefusal.class)
                    .hasMessageContaining("CPU 15 of cpuset 15 is not online");
        }
    }

    @Test
    void rejectsABadIothreadOrCpusetNamingTheField() {
        assertThatThrownBy(() -> new IothreadPinningStep().configure("steps[1].params",
                Map.of("domain", "all", "cpuset", "1-a", "iothread", "0")))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).errors()).extracting(f -> f.field())
                        .containsExactlyInAnyOrder("steps[1].params.cpuset", "steps[1].params.iothread"));
    }
}
