package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.lab.Libvirt;
import dev.ballast.remote.SshSession;
import dev.ballast.remote.TestSsh;

class VirtioScsiStepTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(2);

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
            step.rollback(shell, before);
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
            step.rollback(shell, before);
        }
    }

    @Test
    void keepsAnExistingVirtioScsiController() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-001").state().libvirt();
        String uuid = libvirt.uuidOf("vm-1-3");
        TuningStep.Configured<?> step = StepOnLab.configure(new VirtioScsiStep(), Map.of("domain", "vm-1-3"));
        try (SshSession shell = ssh.open("lab-001")) {
            StepState before = step.probe(shell);
            assertThat(step.drift(before)).extracting(Drift::fact).containsExactly("domain/" + uuid + " (vm-1-3) disk vda");
            step.apply(shell, before);
            assertThat(libvirt.inactiveXml(uuid).split("<controller ", -1)).hasSize(2);
            step.rollback(shell, before);
        }
    }

    @Test
    void warnsThatTheGuestSeesItsDisksRenamed() {
        assertThat(new VirtioScsiStep().description()).contains("vdX -> sdX");
    }
}
