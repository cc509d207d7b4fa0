package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.lab.HostState;
import dev.ballast.lab.Libvirt;
import dev.ballast.remote.Command;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.SshSession;
import dev.ballast.remote.TestSsh;

/** The lab's virsh answers as the real one does, so the catalog's parsing is right for real hosts. */
class LabLibvirtTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(1);

    private static final String TRANSIENT_UUID = "c1c1c1c1-0001-4000-8000-00000000c1c1";

    /**
     * Starts, as {@code virsh create} would, a transient copy of a lab domain named {@code name}: the kind of
     * guest a CI job or another orchestrator runs, which must end when it stops.
     */
    static String startTransient(Libvirt libvirt, String copyOf, String name) {
        String xml = libvirt.inactiveXml(libvirt.uuidOf(copyOf));
        return libvirt.startTransient(xml.replace("<name>" + copyOf + "</name>", "<name>" + name + "</name>")
                .replaceFirst("<uuid>[^<]*</uuid>", "<uuid>" + TRANSIENT_UUID + "</uuid>"));
    }

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

    @Test
    void aTransientDomainHasOnlyItsLiveXmlUntilADefineMakesItPersistent() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-001").state().libvirt();
        String uuid = startTransient(libvirt, "vm-1-1", "ci-runner-1");
        Command transients = Command.of("virsh", "list", "--all", "--uuid", "--transient");
        try (SshSession shell = ssh.open("lab-001")) {
            assertThat(shell.check(transients).stdout()).isEqualTo(uuid + "\n\n");
            assertThat(shell.check(Command.of("virsh", "list", "--all", "--uuid")).stdout()).contains(uuid);
            String inactive = Domains.inactiveXml(shell, new DomainRef.Uuid(uuid));
            assertThat(inactive).isEqualTo(libvirt.liveXml(uuid)).contains("passwd=");

            Domains.define(shell, inactive);
            assertThat(libvirt.persistent(uuid)).isTrue();
            assertThat(shell.check(transients).stdout()).isEqualTo("\n");
        } finally {
            libvirt.migrateAway(uuid);
        }
    }

    @Test
    void aRebootEndsATransientDomainAndStartsThePersistentOnesAgain() {
        HostState host = ssh.fleet().host("lab-001").state();
        String uuid = startTransient(host.libvirt(), "vm-1-1", "ci-runner-1");
        assertThat(host.reboot()).isEmpty();
        assertThat(host.libvirt().uuids()).doesNotContain(uuid);
        assertThat(host.libvirt().liveXml(host.libvirt().uuidOf("vm-1-1"))).isNotNull();
    }
}
