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

class LibvirtChecksTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(4);

    private static CheckResult run(String host, PreflightCheck<?> check, Map<String, String> params) throws Exception {
        try (SshSession shell = ssh.open(host)) {
            return check.configure("checks[0].params", params).run(shell);
        }
    }

    @Test
    void libvirtVersionPassesOnARecentDaemon() throws Exception {
        CheckResult result = run("lab-001", new LibvirtVersionCheck(), Map.of());
        assertThat(result.status()).isEqualTo(CheckResult.Status.PASSED);
        assertThat(result.observed()).isEqualTo("9.0.0");
        assertThat(result.expected()).isEqualTo(">= 8.0.0");
    }

    @Test
    void libvirtVersionFailsOnAnOlderDaemon() throws Exception {
        CheckResult result = run("lab-004", new LibvirtVersionCheck(), Map.of("min", "8.0"));
        assertThat(result.status()).isEqualTo(CheckResult.Status.FAILED);
        assertThat(result.observed()).isEqualTo("7.0.0");
        assertThat(result.message()).contains("older than 8.0.0");
        assertThat(run("lab-001", new LibvirtVersionCheck(), Map.of("min", "9.10")).status())
                .as("versions compare by number, not as text").isEqualTo(CheckResult.Status.FAILED);
    }

    @Test
    void libvirtVersionRejectsAMalformedMinimum() {
        assertThatThrownBy(() -> new LibvirtVersionCheck().configure("checks[0].params", Map.of("min", "9;reboot")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("checks[0].params.min");
    }

    @Test
    void guestAgentPassesWhenTheNamedDomainAnswers() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-002").state().libvirt();
        CheckResult result = run("lab-002", new GuestAgentCheck(), Map.of("domain", "vm-2-1"));
        assertThat(result.status()).isEqualTo(CheckResult.Status.PASSED);
        assertThat(result.observed()).isEqualTo(libvirt.uuidOf("vm-2-1") + ": {\"return\":{}}");
        assertThat(run("lab-002", new GuestAgentCheck(), Map.of("domain", "all")).status())
                .as("all means the running domains; vm-2-2 is shut off").isEqualTo(CheckResult.Status.PASSED);
    }

    @Test
    void guestAgentFailsWithWhatVirshSaid() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-001").state().libvirt();
        CheckResult result = run("lab-001", new GuestAgentCheck(), Map.of("domain", "all"));
        assertThat(result.status()).isEqualTo(CheckResult.Status.FAILED);
        assertThat(result.figures()).containsEntry(libvirt.uuidOf("vm-1-1"), "{\"return\":{}}")
                .containsEntry(libvirt.uuidOf("vm-1-3"),
                        "error: Guest agent is not responding: QEMU guest agent is not connected")
                .doesNotContainKey(libvirt.uuidOf("vm-1-2"));
        assertThat(result.message()).contains("1 of 2 domains");

        CheckResult shutOff = run("lab-001", new GuestAgentCheck(), Map.of("domain", "vm-1-2"));
        assertThat(shutOff.status()).isEqualTo(CheckResult.Status.FAILED);
        assertThat(shutOff.observed()).contains("domain is not running");
    }

    @Test
    void guestAgentFailsForAnUndefinedName() throws Exception {
        CheckResult result = run("lab-003", new GuestAgentCheck(), Map.of("domain", "vm-7-7"));
        assertThat(result.status()).isEqualTo(CheckResult.Status.FAILED);
        assertThat(result.message()).contains("no domain named vm-7-7");
    }

    /** lab-002's guests run qemu-guest-agent 5.2.0 on libvirt 9.0.0: they answer a ping, yet quiescing may fail. */
    @Test
    void guestAgentFailsOnAnAgentOlderThanThePlanAllowsAndPassesOnceItIsUpgraded() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-002").state().libvirt();
        String vm21 = libvirt.uuidOf("vm-2-1");
        CheckResult old = run("lab-002", new GuestAgentCheck(), Map.of("domain", "all", "minVersion", "7.0"));
        assertThat(old.status()).isEqualTo(CheckResult.Status.FAILED);
        assertThat(old.figures()).containsEntry(vm21, "5.2.0").containsEntry("libvirt", "9.0.0");
        assertThat(old.message()).contains("1 of 1 domains is older than 7.0.0 (libvirt daemon 9.0.0)").contains(vm21 + ": 5.2.0");
        assertThat(run("lab-002", new GuestAgentCheck(), Map.of("domain", "vm-2-1")).status())
                .as("without minVersion only the ping counts").isEqualTo(CheckResult.Status.PASSED);

        libvirt.agentVersion(vm21, "8.2.0");
        CheckResult upgraded = run("lab-002", new GuestAgentCheck(), Map.of("domain", "vm-2-1", "minVersion", "7.0"));
        assertThat(upgraded.status()).isEqualTo(CheckResult.Status.PASSED);
        assertThat(upgraded.observed()).isEqualTo(vm21 + ": 8.2.0\nlibvirt: 9.0.0");
        assertThat(upgraded.expected()).isEqualTo("every agent >= 7.0.0");
    }

    @Test
    void guestAgentVersionComparesByNumberOnEveryHostOfTheLab() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-004").state().libvirt();
        CheckResult current = run("lab-004", new GuestAgentCheck(), Map.of("domain", "vm-4-1", "minVersion", "7.2.0"));
        assertThat(current.status()).isEqualTo(CheckResult.Status.PASSED);
        assertThat(current.figures()).containsEntry(libvirt.uuidOf("vm-4-1"), "7.2.0").containsEntry("libvirt", "7.0.0");
        assertThat(run("lab-004", new GuestAgentCheck(), Map.of("domain", "vm-4-1", "minVersion", "7.10")).status())
                .as("7.2.0 is older than 7.10.0").isEqualTo(CheckResult.Status.FAILED);
    }

    @Test
    void guestAgentRejectsAMalformedMinimumVersion() {
        assertThatThrownBy(() -> new GuestAgentCheck().configure("checks[0].params", Map.of("domain", "all", "minVersion", "7.2;reboot")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("checks[0].params.minVersion");
        assertThatThrownBy(() -> new GuestAgentCheck().configure("checks[0].params", Map.of("domain", "all", "minVersion", "")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("checks[0].params.minVersion");
    }

    @Test
    void guestAgentRejectsUnsafeDomainReferences() {
        assertThatThrownBy(() -> new GuestAgentCheck().configure("checks[0].params", Map.of("domain", "$(id)")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("checks[0].params.domain");
    }
}
