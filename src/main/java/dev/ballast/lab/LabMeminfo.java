package dev.ballast.lab;

import java.util.List;
import java.util.Map;

/**
 * /proc/meminfo of a hypervisor as Linux 6.1 prints it, the same bytes as the real-sshd lab's stub prints
 * (labtool.py's meminfo; the lab contract holds them to it). MemAvailable, the HugePages_ lines and
 * Hugetlb tell the truth about what huge pages and running guests hold; the rest is a plausible steady
 * state, MemFree below MemAvailable by the page cache a real host keeps.
 */
final class LabMeminfo {

    private static final long PAGE_CACHE_KIB = 6_291_456;

    private LabMeminfo() {
    }

    static String render(long totalKib, long availableKib, long hugePagesTotal, long hugePagesFree, long hugetlbKib) {
        List<Map.Entry<String, Long>> before = List.of(Map.entry("MemTotal", totalKib),
                Map.entry("MemFree", Math.max(0, availableKib - PAGE_CACHE_KIB)), Map.entry("MemAvailable", availableKib),
                Map.entry("Buffers", 412_304L), Map.entry("Cached", 6_183_472L), Map.entry("SwapCached", 0L),
                Map.entry("Active", 4_718_592L), Map.entry("Inactive", 3_145_728L), Map.entry("Active(anon)", 2_097_152L),
                Map.entry("Inactive(anon)", 524_288L), Map.entry("Active(file)", 2_621_440L),
                Map.entry("Inactive(file)", 2_621_440L), Map.entry("Unevictable", 12_852L), Map.entry("Mlocked", 12_000L),
                Map.entry("SwapTotal", 8_388_604L), Map.entry("SwapFree", 8_388_604L), Map.entry("Zswap", 0L),
                Map.entry("Zswapped", 0L), Map.entry("Dirty", 1_024L), Map.entry("Writeback", 0L),
                Map.entry("AnonPages", 2_588_672L), Map.entry("Mapped", 262_144L), Map.entry("Shmem", 32_768L),
                Map.entry("KReclaimable", 1_048_576L), Map.entry("Slab", 1_572_864L), Map.entry("SReclaimable", 1_048_576L),
                Map.entry("SUnreclaim", 524_288L), Map.entry("KernelStack", 24_576L), Map.entry("PageTables", 40_960L),
                Map.entry("NFS_Unstable", 0L), Map.entry("Bounce", 0L), Map.entry("WritebackTmp", 0L),
                Map.entry("CommitLimit", totalKib / 2 - hugetlbKib / 2 + 8_388_604), Map.entry("Committed_AS", 9_437_184L),
                Map.entry("VmallocTotal", 34_359_738_367L), Map.entry("VmallocUsed", 262_144L), Map.entry("VmallocChunk", 0L),
                Map.entry("Percpu", 98_304L), Map.entry("HardwareCorrupted", 0L), Map.entry("AnonHugePages", 1_048_576L),
                Map.entry("ShmemHugePages", 0L), Map.entry("ShmemPmdMapped", 0L), Map.entry("FileHugePages", 0L),
                Map.entry("FilePmdMapped", 0L));
        StringBuilder out = new StringBuilder();
        before.forEach(line -> out.append(kb(line.getKey(), line.getValue())));
        out.append(String.format("HugePages_Total:   %5d\nHugePages_Free:    %5d\nHugePages_Rsvd:    %5d\nHugePages_Surp:    %5d\n",
                hugePagesTotal, hugePagesFree, 0, 0));
        return out.append(kb("Hugepagesize", Hugepages.DEFAULT_KIB)).append(kb("Hugetlb", hugetlbKib))
                .append(kb("DirectMap4k", 1_048_576)).append(kb("DirectMap2M", 66_060_288)).append(kb("DirectMap1G", 201_326_592))
                .toString();
    }

    private static String kb(String name, long value) {
        return String.format("%-16s%8d kB\n", name + ":", value);
    }
}
