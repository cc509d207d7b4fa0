package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.lab.Libvirt;
import dev.ballast.remote.SshSession;
import dev.ballast.remote.TestSsh;

/**
 * When a guest that should run does not, the result keeps the end of its QEMU log: QEMU's own reason, masked and
 * capped. lab-001 runs vm-1-1 (two disks on vg_storage) and vm-1-3; vm-1-2 is shut off and has never run here.
 */
class DomainLogTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(3);

    @Test
    void aGuestWhoseStartFailedFailsTheAgentCheckWithQemusReason() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-001").state().libvirt();
        String vm11 = libvirt.uuidOf("vm-1-1");
        libvirt.denyOpen("/dev/vg_storage/vm-1-1-root");
        assertThat(libvirt.restart(vm11)).as("virsh start's answer").startsWith("error: Failed to start domain 'vm-1-1'")
                .endsWith("Could not open '/dev/vg_storage/vm-1-1-root': Permission denied");

        PreflightCheck.Configured<?> agents = new GuestAgentCheck().configure("check", Map.of("domain", "all"));
        try (SshSession shell = ssh.open("lab-001")) {
            CheckResult result = agents.run(shell);
            assertThat(result.status()).isEqualTo(CheckResult.Status.FAILED);
            assertThat(result.message()).contains(vm11 + ": should be running, but is shut off (failed)");

            List<DomainLog> logs = agents.diagnose(shell);
            assertThat(logs).singleElement().satisfies(log -> {
                assertThat(log.domain()).isEqualTo("vm-1-1");
                assertThat(log.state()).isEqualTo("shut off (failed)");
                assertThat(log.path()).isEqualTo("/var/log/libvirt/qemu/vm-1-1.log");
                assertThat(log.lines()).last().asString().endsWith(": shutting down, reason=failed");
                assertThat(log.qemuSaid()).endsWith("qemu-system-x86_64: -blockdev {\"driver\":\"host_device\",\"filename\":"
                        + "\"/dev/vg_storage/vm-1-1-root\",\"node-name\":\"libvirt-2-storage\",\"auto-read-only\":true,"
                        + "\"discard\":\"unmap\"}: Could not open '/dev/vg_storage/vm-1-1-root': Permission denied");
                assertThat(log.summary()).startsWith("vm-1-1 is shut off (failed); QEMU: ");
            });
        }
    }

    @Test
    void aFailedDomainStepKeepsTheLogsOfItsDomainsWithTheNeverStartedOneSaidSo() throws Exception {
        TuningStep.Configured<?> cache = StepOnLab.configure(new DiskCacheStep(), Map.of("domain", "all"));
        try (SshSession shell = ssh.open("lab-002")) {
            List<DomainLog> logs = cache.diagnose(shell);
            assertThat(logs).extracting(DomainLog::domain).containsExactly("vm-2-1", "vm-2-2");
            assertThat(logs.get(0).state()).isEqualTo("running (booted)");
            assertThat(logs.get(0).lines()).first().asString().startsWith("2026-11-28 06:12:41.532+0000: starting up libvirt "
                    + "version: 9.0.0");
            assertThat(logs.get(0).cut()).isFalse();
            assertThat(logs.get(1).lines()).isEmpty();
            assertThat(logs.get(1).note()).isEqualTo("no log: tail: cannot open '/var/log/libvirt/qemu/vm-2-2.log' for reading: "
                    + "No such file or directory");
        }
    }

    @Test
    void secretsInTheLogAreMaskedAndTheTailIsCappedInLinesAndBytes() throws Exception {
        Libvirt libvirt = ssh.fleet().host("lab-003").state().libvirt();
        String vm31 = libvirt.uuidOf("vm-3-1");
        for (int i = 0; i < 200; i++) {
            libvirt.logLine(vm31, "2026-12-03T10:00:00.000000Z qemu-system-x86_64: line " + i + " " + "x".repeat(150));
        }
        libvirt.logLine(vm31, "-object secret,id=libvirt-1-storage-auth-secret0,data=q6YpmPUQ3wVf0vqKcRa8ZnsUW4pYbvBT,"
                + "keyid=masterKey0,iv=AAECAwQFBgcICQoLDA0ODw==,format=base64 \\");
        libvirt.logLine(vm31, "-object '{\"qom-type\":\"secret\",\"id\":\"sec0\",\"data\":\"c2VjcmV0LXBhc3M=\",\"format\":\"base64\"}' \\");
        libvirt.logLine(vm31, "-drive file=rbd:pool/vm-3-1:id=admin:key=AQBzd2VldC1rZXk=:auth_supported=cephx,format=raw \\");
        libvirt.logLine(vm31, "-spice port=5901,addr=127.0.0.1,password=hunter2 \\");
        libvirt.logLine(vm31, "-vnc 127.0.0.1:0,password=on \\");
        TuningStep.Configured<?> cache = StepOnLab.configure(new DiskCacheStep(), Map.of("domain", "vm-3-1"));
        try (SshSession shell = ssh.open("lab-003")) {
            DomainLog log = cache.diagnose(shell).get(0);
            String text = String.join("\n", log.lines());
            assertThat(text).doesNotContain("q6YpmPUQ3wVf0vqKcRa8ZnsUW4pYbvBT", "c2VjcmV0LXBhc3M=", "AQBzd2VldC1rZXk=", "hunter2")
                    .contains("data=********,keyid=masterKey0", "\"data\":\"********\"", ":key=********:auth_supported=cephx",
                            "password=********", "-vnc 127.0.0.1:0,password=on");
            assertThat(log.lines()).hasSizeLessThanOrEqualTo(DomainLog.LINES).last().isEqualTo("-vnc 127.0.0.1:0,password=on \\");
            assertThat(text.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(DomainLog.BYTES);
            assertThat(log.cut()).isTrue();
        }
        libvirt.logLine(vm31, "y".repeat(20_000));
        try (SshSession shell = ssh.open("lab-003")) {
            DomainLog log = cache.diagnose(shell).get(0);
            assertThat(String.join("\n", log.lines()).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(DomainLog.BYTES);
            assertThat(log.lines()).last().asString().startsWith("...").endsWith("yyyy");
        }
    }
}
