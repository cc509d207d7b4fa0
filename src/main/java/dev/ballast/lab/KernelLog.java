package dev.ballast.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * A lab host's kernel log of the current boot, as {@code journalctl -k -b -q --no-pager --no-hostname -o
 * short-monotonic} and {@code dmesg} print it: the time since boot, then the message. Every host has the
 * same boot lines; one host in six has had nvme0 time out and reset and sda report a read error; one host
 * in twelve has no journald keeping the kernel log (journalctl prints nothing, dmesg still has it). A
 * reboot starts a new log with only the boot lines.
 */
final class KernelLog {

    /** One line: when, in microseconds since boot, and what the kernel said. */
    record Entry(long micros, String message) {
    }

    static final List<Entry> BOOT = List.of(
            new Entry(0, "x86/fpu: Supporting XSAVE feature 0x001: 'x87 floating point registers'"),
            new Entry(1_204_311, "nvme nvme0: 32/0/0 default/read/poll queues"),
            new Entry(1_208_532, "nvme nvme1: 32/0/0 default/read/poll queues"),
            new Entry(1_532_104, "sd 0:0:0:0: [sda] 3750748848 512-byte logical blocks: (1.92 TB/1.75 TiB)"),
            new Entry(4_812_733, "EXT4-fs (dm-0): mounted filesystem with ordered data mode. Quota mode: none."),
            new Entry(11_403_117, "kvm_intel: VMX enabled"));
    static final List<Entry> FAILING_DISKS = List.of(
            new Entry(8_123_551_027L, "nvme nvme0: I/O 417 QID 3 timeout, aborting"),
            new Entry(8_123_551_101L, "nvme nvme0: I/O 418 QID 3 timeout, aborting"),
            new Entry(8_153_771_964L, "nvme nvme0: I/O 417 QID 3 timeout, reset controller"),
            new Entry(8_154_982_210L, "nvme nvme0: 32/0/0 default/read/poll queues"),
            new Entry(9_210_114_002L, "I/O error, dev sda, sector 1953525168 op 0x0:(READ) flags 0x0 phys_seg 1 prio class 2"));

    private final List<Entry> entries = new ArrayList<>(BOOT);
    volatile boolean journald = true;

    void add(List<Entry> more) {
        entries.addAll(more);
    }

    void timeout() {
        long last = entries.get(entries.size() - 1).micros();
        entries.add(new Entry(last + 1_000_000, "nvme nvme0: I/O 7 QID 2 timeout, aborting"));
    }

    void reboot() {
        entries.clear();
        entries.addAll(BOOT);
    }

    Exec journalctl(List<String> args) {
        return LabPrograms.expect(args, List.of("-k", "-b", "-q", "--no-pager", "--no-hostname", "-o", "short-monotonic"),
                () -> Exec.ok(journald ? print("kernel: ") : ""));
    }

    Exec dmesg(List<String> args) {
        return LabPrograms.expect(args, List.of(), () -> Exec.ok(print("")));
    }

    private String print(String prefix) {
        StringBuilder out = new StringBuilder();
        for (Entry e : entries) {
            out.append(String.format("[%5d.%06d] %s%s%n", e.micros() / 1_000_000, e.micros() % 1_000_000, prefix, e.message()));
        }
        return out.toString();
    }
}
