package dev.ballast.catalog;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/** The figures of {@code /proc/meminfo} the huge page steps weigh: the kernel's own account, in KiB and pages. */
record Meminfo(long totalKib, long availableKib, long hugePagesTotal, long hugePagesFree, long hugePageKib) {

    static final long GIB_KIB = 1024 * 1024;

    static Meminfo read(RemoteShell shell) throws RemoteFailure {
        String text = HostFiles.require(shell, RemotePath.of("/proc/meminfo"));
        return new Meminfo(field(text, "MemTotal"), field(text, "MemAvailable"), field(text, "HugePages_Total"),
                field(text, "HugePages_Free"), field(text, "Hugepagesize"));
    }

    private static long field(String text, String name) throws RemoteFailure {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + ":\\s+(\\d+)").matcher(text);
        if (!m.find()) {
            throw new RemoteFailure(RemoteFailure.Kind.COMMAND_FAILED, "/proc/meminfo has no " + name, null);
        }
        return Long.parseLong(m.group(1));
    }

    /** KiB as operators read them: {@code 25.6 GiB}. */
    static String gib(long kib) {
        return String.format(java.util.Locale.ROOT, "%.1f GiB", kib / (double) GIB_KIB);
    }
}
