package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.lab.Libvirt;
import dev.ballast.remote.Command;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.SshSession;
import dev.ballast.remote.TestSsh;

/** The lab's virsh answers as the real one does, so the catalog's parsing is right for real hosts. */
class LabLibvirtTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(1);

    @Test
    void defineRefusesMalformedXmlAndChangesNothing() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-001").state().libvirt();
        String uuid = libvirt.uuidOf("vm-1-1");
        String before = libvirt.inactiveXml(uuid);
        try (SshSession shell = ssh.open("lab-001")) {
            assertThatThrownBy(() -> Domains.define(shell, before.replace("</devices>", "")))
                    .isInstanceOf(RemoteFailure.class)
                    .satisfies(e -> assertThat(((RemoteFailure) e).result().stderr())
                            .startsWith("error: Failed to define domain from /dev/stdin\nerror: XML error: "));
        }
        assertThat(libvirt.inactiveXml(uuid)).isEqualTo(before);
    }

    @Test
    void defineReplacesOnlyThePersistentXmlOfARunningDomain() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-001").state().libvirt();
        String uuid = libvirt.uuidOf("vm-1-1");
        String before = libvirt.inactiveXml(uuid);
        try (SshSession shell = ssh.open("lab-001")) {
            assertThat(shell.check(Command.of("virsh", "define", "--validate", "/dev/stdin")
                    .stdin(before.replace("<vcpu placement='static'>2", "<vcpu placement='static'>3"))).stdout())
                    .isEqualTo("Domain 'vm-1-1' defined from /dev/stdin\n\n");
            assertThat(Domains.liveXml(shell, new DomainRef.Uuid(uuid))).contains(">2</vcpu>").doesNotContain("passwd=");
            assertThat(Domains.inactiveXml(shell, new DomainRef.Uuid(uuid))).contains(">3</vcpu>").contains("passwd=");
            Domains.define(shell, before);
        }
        assertThat(libvirt.inactiveXml(uuid)).isEqualTo(before);
    }
}
