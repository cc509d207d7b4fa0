package dev.ballast.catalog;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * Measures a disk's random-read IOPS and completion latency before tuning, so a later health gate
 * can compare against the host's own baseline. Read-only: {@code --readonly} makes fio refuse any
 * write or trim, so it can run against a disk that holds data. It loads the disk for the whole
 * runtime: run it on a drained host.
 */
final class FioBaselineCheck extends PreflightCheck<FioBaselineCheck.Params> {

    record Params(BlockDevice device, Count runtime) {
    }

    @Override
    public String id() {
        return "fio-baseline";
    }

    @Override
    public String description() {
        return "Measure a disk's 4k random-read IOPS and latency with fio, read-only (--readonly), for runtime"
                + " seconds; run on a drained host. Fails only when fio fails";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(BlockDevice.WHOLE_DISK,
                ParameterSpec.optional("runtime", "integer", "seconds to measure, 1 to 300", "30", "[0-9]{1,3}"));
    }

    @Override
    protected Params parse(Parameters params) {
        return new Params(params.required("device", BlockDevice::new),
                params.optional("runtime", "30", text -> Count.parse(text, 1, 300)));
    }

    static Command command(Params p) {
        return Command.of("fio", "--name=baseline").arg("--filename=", p.device().node())
                .literal("--readonly", "--rw=randread", "--bs=4k", "--ioengine=libaio", "--direct=1", "--numjobs=4",
                        "--iodepth=32", "--time_based")
                .arg("--runtime=", p.runtime())
                .literal("--group_reporting", "--output-format=json")
                // fio runs for exactly the runtime asked, plus its ramp and setup: allow a minute more.
                .allowing(java.time.Duration.ofSeconds(p.runtime().value() + 60));
    }

    @Override
    public CheckResult run(RemoteShell shell, Params p) throws RemoteFailure {
        String expected = "fio completes on " + p.device().name();
        CommandResult result = shell.run(command(p));
        if (!result.succeeded()) {
            return CheckResult.failed("fio exited " + result.exitCode(), expected,
                    "fio failed" + ToolOutput.stderrSuffix(result));
        }
        try {
            JsonNode job = ToolOutput.json("fio", result, expected).path("jobs").path(0);
            if (!job.path("error").isInt()) {
                throw new CheckFailed("incomplete report", expected, "fio's JSON has no jobs[0].error");
            }
            int error = job.path("error").asInt();
            if (error != 0) {
                throw new CheckFailed("fio error " + error, expected,
                        "fio reported error " + error + ToolOutput.stderrSuffix(result));
            }
            JsonNode read = job.path("read");
            JsonNode percentile = read.path("clat_ns").path("percentile");
            Map<String, String> figures = Map.of("iops", number(read.path("iops"), 1, "%.0f"),
                    "clat_p50_us", number(percentile.path("50.000000"), 1000, "%.1f"),
                    "clat_p99_us", number(percentile.path("99.000000"), 1000, "%.1f"));
            String observed = figures.get("iops") + " IOPS, p99 " + figures.get("clat_p99_us") + " µs";
            return CheckResult.passed(observed, expected).withFigures(figures);
        } catch (CheckFailed failed) {
            return failed.result();
        }
    }

    private static String number(JsonNode node, double divisor, String format) throws CheckFailed {
        if (!node.isNumber()) {
            throw new CheckFailed("incomplete report", "iops and clat_ns percentiles", "fio's JSON lacks a figure ("
                    + "jobs[0].read.iops, clat_ns.percentile 50 and 99)");
        }
        return String.format(Locale.ROOT, format, node.asDouble() / divisor);
    }
}
