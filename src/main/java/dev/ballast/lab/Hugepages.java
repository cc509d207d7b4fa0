package dev.ballast.lab;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Huge page pools of a lab host. Like the kernel, a request beyond what memory allows is granted only
 * in part, silently; /proc/meminfo tells the truth about the default size.
 */
final class Hugepages implements LabFiles {

    private static final Pattern KNOB = Pattern.compile("/sys/kernel/mm/hugepages/hugepages-(\\d+)kB/nr_hugepages");
    static final long DEFAULT_KIB = 2048;

    private final long memTotalKib;
    private final Map<Long, Long> pages = new TreeMap<>(Map.of(2048L, 0L, 1048576L, 0L));
    private final Faults faults;

    Hugepages(long memTotalKib, Faults faults) {
        this.memTotalKib = memTotalKib;
        this.faults = faults;
    }

    @Override
    public boolean owns(String path) {
        return path.startsWith("/sys/kernel/mm/hugepages/") || path.equals("/proc/meminfo");
    }

    @Override
    public String read(String path) {
        if (path.equals("/proc/meminfo")) {
            return meminfo();
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
        long usedByOthers = pages.entrySet().stream().filter(e -> e.getKey() != sizeKib)
                .mapToLong(e -> e.getKey() * e.getValue()).sum();
        long room = (memTotalKib * 3 / 4 - usedByOthers) / sizeKib;
        pages.put(sizeKib, Math.max(0, Math.min(wanted, room)));
    }

    private String meminfo() {
        long total = pages.get(DEFAULT_KIB);
        long hugetlb = pages.entrySet().stream().mapToLong(e -> e.getKey() * e.getValue()).sum();
        return String.format("MemTotal:       %d kB%nMemFree:        %d kB%nMemAvailable:   %d kB%n"
                + "HugePages_Total: %6d%nHugePages_Free:  %6d%nHugePages_Rsvd:  %6d%nHugePages_Surp:  %6d%n"
                + "Hugepagesize:       %d kB%nHugetlb:        %d kB%n",
                memTotalKib, memTotalKib - hugetlb, memTotalKib - hugetlb, total, total, 0, 0, DEFAULT_KIB, hugetlb);
    }
}
