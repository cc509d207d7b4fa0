package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ballast.catalog.CheckResult.Status;
import dev.ballast.remote.TestSsh;

class KernelIoErrorsCheckTest {

    @RegisterExtension
    static final TestSsh ssh = new TestSsh(11);
    final KernelIoErrorsCheck check = new KernelIoErrorsCheck();

    @Test
    void passesAQuietKernelLogReadFromJournald() throws Exception {
        CheckResult result = CheckOnLab.run(ssh, "lab-001", check, Map.of());
        assertThat(result.status()).isEqualTo(Status.PASSED);
        assertThat(result.observed()).isEqualTo("0 I/O errors");
        assertThat(result.expected()).isEqualTo("at most 0 I/O errors in the kernel log since boot");
        assertThat(result.figures()).containsEntry("source", "journalctl -k -b").containsEntry("errors", "0");
    }

    @Test
    void failsAHostWhoseDisksTimeOutCountingPerDeviceAndKeepingTheLines() throws Exception {
        CheckResult result = CheckOnLab.run(ssh, "lab-005", check, Map.of());
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.observed()).isEqualTo("4 I/O errors (nvme0 3, sda 1)");
        assertThat(result.message()).contains("[ 8123.551027] kernel: nvme nvme0: I/O 417 QID 3 timeout, aborting",
                "I/O error, dev sda, sector 1953525168").doesNotContain("32/0/0 default/read/poll queues");
        assertThat(result.figures()).containsEntry("devices", "nvme0 3, sda 1");

        assertThat(CheckOnLab.run(ssh, "lab-005", check, Map.of("max", "4")).status()).isEqualTo(Status.PASSED);
        CheckResult later = CheckOnLab.run(ssh, "lab-005", check, Map.of("since", "9000"));
        assertThat(later.observed()).isEqualTo("1 I/O errors (sda 1)");
        assertThat(later.expected()).isEqualTo("at most 0 I/O errors in the kernel log after 9000 s since boot");
        assertThat(later.figures()).containsEntry("last", "9210.114002");
    }

    @Test
    void readsDmesgWhereJournaldKeepsNoKernelLog() throws Exception {
        CheckResult result = CheckOnLab.run(ssh, "lab-004", check, Map.of());
        assertThat(result.status()).isEqualTo(Status.PASSED);
        assertThat(result.figures()).containsEntry("source", "dmesg");
    }

    @Test
    void aRebootStartsAQuietLog() throws Exception {
        assertThat(CheckOnLab.run(ssh, "lab-011", check, Map.of()).status()).isEqualTo(Status.FAILED);
        ssh.fleet().host("lab-011").state().reboot();
        assertThat(CheckOnLab.run(ssh, "lab-011", check, Map.of()).status()).isEqualTo(Status.PASSED);
    }

    @Test
    void recognisesTheSignalsRealKernelsPrint() {
        String log = """
                [  812.100001] nvme nvme2: I/O 12 QID 0 timeout, completion polled
                [  812.200002] nvme nvme2: controller is down; will reset: CSTS=0xffffffff, PCI_STATUS=0xffff
                [  813.300003] critical medium error, dev nvme2n1, sector 4096 op 0x0:(READ) flags 0x80700 phys_seg 1 prio class 2
                [  814.400004] Buffer I/O error on dev dm-3, logical block 0, async page read
                [  815.500005] sd 2:0:0:0: [sdc] tag#17 timing out command, waited 180s
                [  816.600006] device-mapper: multipath: 253:4: Failing path 8:32.
                [  817.700007] blk_update_request: I/O error, dev sdc, sector 2048 op 0x1:(WRITE) flags 0x0 phys_seg 8 prio class 0
                [  818.800008] EXT4-fs (dm-0): mounted filesystem
                """;
        assertThat(KernelIoErrorsCheck.signals(log, 0)).extracting(KernelIoErrorsCheck.Signal::device)
                .isEqualTo(List.of("nvme2", "nvme2", "nvme2n1", "dm-3", "sdc", "253:4", "sdc"));
        assertThat(KernelIoErrorsCheck.signals(log, 815_500_005)).hasSize(2);
        assertThat(KernelIoErrorsCheck.last(log)).isEqualTo("818.800008");
    }
}
