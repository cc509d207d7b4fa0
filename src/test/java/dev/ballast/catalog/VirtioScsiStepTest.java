package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.lab.Libvirt;
import dev.ballast.remote.SshSession;
import dev.ballast.remote.TestSsh;

class VirtioScsiStepTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(4);

    @Test
    void renamesVdToSdAddsOneControllerAndDropsThePciAddresses() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-001").state().libvirt();
        String uuid = libvirt.uuidOf("vm-1-1");
        TuningStep.Configured<?> step = StepOnLab.configure(new VirtioScsiStep(), Map.of("domain", "vm-1-1"));
        try (SshSession shell = ssh.open("lab-001")) {
            StepState before = step.probe(shell);
            assertThat(step.drift(before)).extracting(Drift::fact).containsExactly(
                    "domain/" + uuid + " (vm-1-1) disk vda", "domain/" + uuid + " (vm-1-1) disk vdb",
                    "domain/" + uuid + " (vm-1-1) controller");
            step.apply(shell, before);
            assertThat(DomainXml.canonical(libvirt.inactiveXml(uuid))).contains("<target bus=\"scsi\" dev=\"sda\"/>",
                    "<target bus=\"scsi\" dev=\"sdb\"/>", "<controller index=\"0\" model=\"virtio-scsi\" type=\"scsi\">",
                    "<address bus=\"0\" controller=\"0\" target=\"0\" type=\"drive\" unit=\"1\"/>")
                    .doesNotContain("bus=\"virtio\"", "bus=\"0x07\"");
            assertThat(libvirt.liveXml(uuid)).as("the running domain keeps its disks until a cold start")
                    .contains("<target dev='vda' bus='virtio'/>");
            step.rollback(shell, RestorePoint.of(before));
        }
        assertThat(libvirt.inactiveXml(uuid)).contains("<target dev='vda' bus='virtio'/>").doesNotContain("virtio-scsi");
    }

    @Test
    void avoidsATargetNameAlreadyTakenByACdrom() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-002").state().libvirt();
        String uuid = libvirt.uuidOf("vm-2-2");
        TuningStep.Configured<?> step = StepOnLab.configure(new VirtioScsiStep(), Map.of("domain", uuid));
        try (SshSession shell = ssh.open("lab-002")) {
            StepState before = step.probe(shell);
            assertThat(step.drift(before)).anySatisfy(d -> assertThat(d.desired()).isEqualTo("sdb on bus scsi"));
            step.apply(shell, before);
            assertThat(DomainXml.canonical(libvirt.inactiveXml(uuid)))
                    .contains("<target bus=\"sata\" dev=\"sda\"/>", "<target bus=\"scsi\" dev=\"sdb\"/>");
            step.rollback(shell, RestorePoint.of(before));
        }
    }

    @Test
    void keepsAnExistingVirtioScsiController() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-001").state().libvirt();
        String uuid = libvirt.uuidOf("vm-1-3");
        // vm-1-3's guest agent never answers: nothing shows it boots from virtio-scsi, so the plan accepts that.
        TuningStep.Configured<?> step = StepOnLab.configure(new VirtioScsiStep(), Map.of("domain", "vm-1-3",
                "acceptUnknownGuests", "true"));
        try (SshSession shell = ssh.open("lab-001")) {
            StepState before = step.probe(shell);
            assertThat(step.drift(before)).extracting(Drift::fact).containsExactly("domain/" + uuid + " (vm-1-3) disk vda");
            step.apply(shell, before);
            assertThat(libvirt.inactiveXml(uuid).split("<controller ", -1)).hasSize(2);
            step.rollback(shell, RestorePoint.of(before));
        }
    }

    @Test
    void refusesGuestsNotKnownToBootFromVirtioScsiBeforeAnyDomainChanges() throws Exception {
        TuningStep.Configured<?> step = StepOnLab.configure(new VirtioScsiStep(), Map.of("domain", "all"));
        try (SshSession shell = ssh.open("lab-001")) {
            StepState before = step.probe(shell);
            assertThatThrownBy(() -> step.apply(shell, before)).isInstanceOf(StepRefusal.class)
                    .hasMessageContaining("not known to boot from virtio-scsi: vm-1-2 (shut off, and no libosinfo metadata), "
                            + "vm-1-3 (no libosinfo metadata, and its guest agent did not answer)")
                    .hasMessageNotContaining("vm-1-1")
                    .satisfies(e -> assertThat(((StepRefusal) e).kind()).isEqualTo(StepRefusal.Kind.UNSAFE));
            assertThat(step.probe(shell)).as("no domain was defined again, vm-1-1 neither").isEqualTo(before);
        }
        TuningStep.Configured<?> windows = StepOnLab.configure(new VirtioScsiStep(), Map.of("domain", "vm-4-2"));
        try (SshSession shell = ssh.open("lab-004")) {
            StepState before = windows.probe(shell);
            assertThatThrownBy(() -> windows.apply(shell, before)).isInstanceOf(StepRefusal.class)
                    .hasMessageContaining("vm-4-2 (libosinfo names http://microsoft.com/win/2k22, not a Linux OS)");
        }
    }

    @Test
    void movesUnknownGuestsWhenThePlanAcceptsThem() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-003").state().libvirt();
        String uuid = libvirt.uuidOf("vm-3-2");
        TuningStep.Configured<?> step = StepOnLab.configure(new VirtioScsiStep(), Map.of("domain", "vm-3-2",
                "acceptUnknownGuests", "true"));
        try (SshSession shell = ssh.open("lab-003")) {
            StepState before = step.probe(shell);
            step.apply(shell, before);
            assertThat(DomainXml.canonical(libvirt.inactiveXml(uuid))).contains("<target bus=\"scsi\" dev=\"sdb\"/>");
            step.rollback(shell, RestorePoint.of(before));
            assertThat(step.probe(shell)).isEqualTo(before);
        }
    }

    @Test
    void warnsThatTheGuestSeesItsDisksRenamed() {
        assertThat(new VirtioScsiStep().description()).contains("vdX -> sdX");
    }
}
