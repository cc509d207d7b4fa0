package dev.ballast.lab;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fio running the catalog's read-only baseline job, and nothing else: any other option set is a
 * {@link LabSurprise}, so a job that might write cannot slip past the tests. Prints fio 3.x JSON,
 * trimmed to the fields a reader needs (real output also has write, trim, sync and latency buckets).
 */
final class LabFio {

    private static final Pattern FILENAME = Pattern.compile("--filename=/dev/([a-z0-9-]{1,32})");
    private static final Pattern RUNTIME = Pattern.compile("--runtime=([0-9]{1,4})");
    private static final double[] PERCENTILES = {1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.5, 99.9, 99.95, 99.99};

    private LabFio() {
    }

    static Exec run(Hardware hw, Disks disks, List<String> args) {
        Matcher file = args.size() > 1 ? FILENAME.matcher(args.get(1)) : null;
        Matcher runtime = args.size() > 10 ? RUNTIME.matcher(args.get(10)) : null;
        if (file == null || runtime == null || !file.matches() || !runtime.matches()) {
            throw new LabSurprise("fio " + args);
        }
        if (!args.equals(List.of("--name=baseline", args.get(1), "--readonly", "--rw=randread", "--bs=4k",
                "--ioengine=libaio", "--direct=1", "--numjobs=4", "--iodepth=32", "--time_based", args.get(10),
                "--group_reporting", "--output-format=json"))) {
            throw new LabSurprise("fio with other options than the read-only baseline job: " + args);
        }
        Hardware.FioFigures figures = hw.fio.get(file.group(1));
        if (figures != null && disks.get(file.group(1)) != null && "bfq".equals(disks.get(file.group(1)).active)) {
            // BFQ's per-request accounting costs an NVMe disk about 45% of its random-read IOPS.
            figures = new Hardware.FioFigures(figures.iops() * 0.55, figures.p50Ns() * 2, figures.p99Ns() * 2);
        }
        if (figures == null) {
            return Exec.fail(1, "baseline: you need to specify size=\nfio: pid=0, err=22/file:filesetup.c:1120,"
                    + " func=total_file_size, error=Invalid argument\n");
        }
        String warning = hw.fioWarning ? "fio: this platform does not support process shared mutexes, forcing use of"
                + " threads. Use the 'thread' option to get rid of this warning.\n" : "";
        return Exec.ok(warning + json(figures, Long.parseLong(runtime.group(1)), args.get(1).substring("--filename=".length())));
    }

    /** A latency curve through the host's p50 and p99: flat below the median, a steep tail above it. */
    private static long latency(Hardware.FioFigures f, double percentile) {
        if (percentile <= 50) {
            return Math.round(f.p50Ns() * (0.4 + 0.6 * percentile / 50));
        }
        return Math.round(f.p50Ns() + (f.p99Ns() - f.p50Ns()) * Math.pow((percentile - 50) / 49, 3));
    }

    private static String json(Hardware.FioFigures f, long seconds, String filename) {
        long ios = Math.round(f.iops() * seconds);
        StringBuilder percentiles = new StringBuilder();
        for (double p : PERCENTILES) {
            percentiles.append(percentiles.isEmpty() ? "" : ",\n")
                    .append(String.format(Locale.ROOT, "            \"%f\" : %d", p, latency(f, p)));
        }
        return String.format(Locale.ROOT, """
                {
                  "fio version" : "fio-3.33",
                  "timestamp" : 1718000000,
                  "time" : "Mon Jun 10 06:13:20 2024",
                  "global options" : {},
                  "jobs" : [
                    {
                      "jobname" : "baseline",
                      "groupid" : 0,
                      "error" : 0,
                      "eta" : 0,
                      "elapsed" : %d,
                      "job options" : {
                        "name" : "baseline",
                        "filename" : "%s",
                        "readonly" : "",
                        "rw" : "randread",
                        "bs" : "4k",
                        "ioengine" : "libaio",
                        "direct" : "1",
                        "numjobs" : "4",
                        "iodepth" : "32",
                        "time_based" : "",
                        "runtime" : "%d"
                      },
                      "read" : {
                        "io_bytes" : %d,
                        "io_kbytes" : %d,
                        "bw_bytes" : %d,
                        "bw" : %d,
                        "iops" : %.6f,
                        "runtime" : %d,
                        "total_ios" : %d,
                        "short_ios" : 0,
                        "drop_ios" : 0,
                        "clat_ns" : {
                          "min" : %d,
                          "max" : %d,
                          "mean" : %.6f,
                          "stddev" : %.6f,
                          "N" : %d,
                          "percentile" : {
                %s
                          }
                        }
                      },
                      "write" : {
                        "io_bytes" : 0,
                        "bw" : 0,
                        "iops" : 0.000000,
                        "total_ios" : 0
                      }
                    }
                  ]
                }
                """, seconds + 1, filename, seconds, ios * 4096, ios * 4, Math.round(f.iops() * 4096),
                Math.round(f.iops() * 4), f.iops(), seconds * 1000, ios, f.p50Ns() / 10, f.p99Ns() * 4,
                f.p50Ns() * 1.05, f.p50Ns() * 0.3, ios, percentiles);
    }
}
