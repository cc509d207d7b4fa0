package dev.ballast.lab;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Huge page pools of a lab host, and the memory around them as /proc/meminfo tells it. Like a kernel
 * that has run for a while: memory is fragmented, so a request for 2M pages is granted only as far as
 * contiguous blocks are found (four fifths of what is available), silently, and 1G pages cannot be
 * found at all once the host is up (they come at boot). Running guests hold memory: plain RAM, or huge
 * pages of the default size when their live XML backs them so, which HugePages_Free then lacks.
 */
final class Hugepages implements LabFiles {

    private static final Pattern KNOB = Pattern.compile("/sys/kernel/mm/hugepages/hugepages-(\\d+)kB/nr_hugepages");
    static final long DEFAULT_KIB = 2048;
    static final long GIB_KIB = 1048576;
    /** What the host's own processes, page cache and kernel hold. */
    static final long HOST_USE_KIB = 8 * GIB_KIB;

    /** The kernel command line: {@code hugepages=N} there reserves default-size pages at boot, before sysctl runs. */
    String cmdline = "BOOT_IMAGE=/boot/vmlinuz root=/dev/mapper/vg_os-root ro quiet";
    private final long memTotalKib;
    private final Map<Long, Long> pages = new TreeMap<>(Map.of(DEFAULT_KIB, 0L, GIB_KIB, 0L));
    private final Faults faults;
    private final Libvirt libvirt;

    Hugepages(long memTotalKib, Faults faults, Libvirt libvirt) {
        this.memTotalKib = memTotalKib;
        this.faults = faults;
        this.libvirt = libvirt;
    }

    @Override
    public boolean owns(String path) {
        return path.startsWith("/sys/kernel/mm/hugepages/") || path.equals("/proc/meminfo") || path.equals("/proc/cmdline");
    }

    @Override
    public String read(String path) {
        if (path.equals("/proc/meminfo")) {
            return meminfo();
        }
        if (path.equals("/proc/cmdline")) {
            return cmdline + "\n";
        }
        Matcher m = KNOB.matcher(path);
        Long count = m.matches() ? pages.get(Long.parseLong(m.group(1))) : null;
        return count == null ? null : count + "\n";
    }

    @Override
    public Exec write(String path, String text) {
        Matcher m = KNOB.matcher(path);
        if (!m.matches() || !pages.containsKey(Long.parseLong(m.group(1)))) {
            throw new LabSurprise("writing " + path + " is not simulated");
        }
        if (!text.strip().matches("[0-9]{1,12}")) {
            return Exec.fail(1, "tee: " + path + ": Invalid argument\n");
        }
        reserve(Long.parseLong(m.group(1)), Long.parseLong(text.strip()));
        return Exec.ok(text);
    }

    /** {@code sysctl -w vm.nr_hugepages=N}: the default page size. */
    void reserveDefault(long count) {
        reserve(DEFAULT_KIB, count);
    }

    long reservedDefault() {
        return pages.get(DEFAULT_KIB);
    }

    private void reserve(long sizeKib, long wanted) {
        if (faults.undoRuntimeWrites) {
            return;
        }
        long current = pages.get(sizeKib);
        long inUse = sizeKib == DEFAULT_KIB ? GuestMemory.of(libvirt).hugeKib() / DEFAULT_KIB : 0;
        if (wanted <= current) {
            pages.put(sizeKib, Math.max(wanted, inUse));
        } else if (sizeKib == DEFAULT_KIB) {
            long contiguous = Math.max(0, availableKib()) * 4 / 5 / sizeKib;
            pages.put(sizeKib, current + Math.min(wanted - current, contiguous));
        }
    }

    /** Power off: every pool is empty until the boot reserves pages again. */
    void powerOff() {
        pages.replaceAll((size, count) -> 0L);
    }

    /** A reservation while the host boots: memory is still whole, so the kernel grants what fits, 1G pages too. */
    void reserveAtBoot(long sizeKib, long wanted) {
        if (pages.containsKey(sizeKib)) {
            pages.put(sizeKib, Math.min(wanted, Math.max(0, availableKib()) / sizeKib));
        }
    }

    /** Free huge pages of the default size, in KiB: what a guest backed by them can still start with. */
    long freeDefaultKib() {
        return Math.max(0, pages.get(DEFAULT_KIB) * DEFAULT_KIB - GuestMemory.of(libvirt).hugeKib());
    }

    /** Huge pages of every size but one (or of all, with 0), in KiB. */
    private long hugetlbKib(long exceptSizeKib) {
        return pages.entrySet().stream().filter(e -> e.getKey() != exceptSizeKib).mapToLong(e -> e.getKey() * e.getValue()).sum();
    }

    private long availableKib() {
        return memTotalKib - hugetlbKib(0) - HOST_USE_KIB - GuestMemory.of(libvirt).regularKib();
    }

    private String meminfo() {
        long total = pages.get(DEFAULT_KIB);
        long free = Math.max(0, total - GuestMemory.of(libvirt).hugeKib() / DEFAULT_KIB);
        long available = Math.max(0, availableKib());
        return LabMeminfo.render(memTotalKib, available, total, free, hugetlbKib(0));
    }
}
