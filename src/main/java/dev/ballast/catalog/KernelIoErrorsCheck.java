package dev.ballast.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * The kernel log of the current boot holds no more I/O errors than allowed: command timeouts, controller
 * resets, I/O and medium errors, failed multipath paths, counted per device (nvme0, sda, dm-3). The
 * manual's way to tell a failing HBA or drive from a busy hypervisor, and a host already throwing errors
 * is no place to start a rollout. Read with {@code journalctl -k -b} where journald keeps the kernel log,
 * else with {@code dmesg} (the ring buffer: older lines may have rotated out). Both print the time since
 * boot first, so {@code since} (seconds since boot) counts only what came after a moment of this boot.
 */
final class KernelIoErrorsCheck extends PreflightCheck<KernelIoErrorsCheck.Params> {

    /** The lines kept with a result: enough to see the pattern, never a flood of a failing disk's log. */
    static final int KEPT_LINES = 20;
    private static final Pattern LINE = Pattern.compile("^\\[\\s*(\\d+)\\.(\\d{6})\\] (?:kernel: )?(.*)$");
    private static final Pattern SINCE = Pattern.compile("[0-9]{1,10}(\\.[0-9]{1,6})?");
    /** Each signal with the device it names in group 1. */
    private static final List<Pattern> SIGNALS = List.of(
            Pattern.compile("^nvme (nvme\\d+): I/O \\d+ QID \\d+ timeout"),
            Pattern.compile("^nvme (nvme\\d+): controller is down"),
            Pattern.compile("\\bI/O error, dev (\\S+?),"),
            Pattern.compile("\\bcritical medium error, dev (\\S+?),"),
            Pattern.compile("^Buffer I/O error on dev (\\S+?),"),
            Pattern.compile("^sd \\S+ \\[(sd[a-z]+)\\] .*timing out command"),
            Pattern.compile("^device-mapper: multipath: (\\S+?): Failing path"));

    /** {@code since} as given: seconds since boot, to the microsecond; 0 counts the whole boot. */
    record Params(Count max, String since) {
        long sinceMicros() {
            return micros(since);
        }

        String expected() {
            return "at most " + max.value() + " I/O errors in the kernel log" + (sinceMicros() > 0 ? " after " + since
                    + " s since boot" : " since boot");
        }
    }

    /** One error line: the device it names and the line as the kernel printed it. */
    record Signal(String device, String line) {
    }

    @Override
    public String id() {
        return "kernel-io-errors";
    }

    @Override
    public String description() {
        return "The kernel log of this boot holds at most max I/O errors (timeouts, resets, I/O and medium errors, failed "
                + "multipath paths), counted per device; journalctl -k -b, or dmesg where journald does not keep it";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.optional("max", "integer", "errors tolerated, 0 to 1000000", "0", "[0-9]{1,7}"),
                ParameterSpec.optional("since", "seconds", "count only lines after this many seconds since boot (the health "
                        + "gate gives the time of the last line its preflight saw)", "0", "[0-9]{1,10}(\\.[0-9]{1,6})?"));
    }

    @Override
    protected Params parse(Parameters params) {
        String since = params.optional("since", "0", text -> {
            Values.matching("since", text, SINCE, "seconds since boot, such as 8154.982210");
            return text;
        });
        return new Params(params.optional("max", "0", text -> Count.parse(text, 0, 1_000_000)), since);
    }

    @Override
    public CheckResult run(RemoteShell shell, Params p) throws RemoteFailure {
        KernelLog log = read(shell);
        if (log == null) {
            return CheckResult.failed("no kernel log", p.expected(), "neither journalctl -k nor dmesg printed the kernel log");
        }
        List<Signal> signals = signals(log.text(), p.sinceMicros());
        Map<String, Long> perDevice = signals.stream().collect(Collectors.groupingBy(Signal::device, TreeMap::new,
                Collectors.counting()));
        String counted = perDevice.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        String observed = signals.size() + " I/O errors" + (signals.isEmpty() ? "" : " (" + counted + ")");
        String kept = signals.stream().limit(KEPT_LINES).map(Signal::line).collect(Collectors.joining("\n"));
        CheckResult result = signals.size() <= p.max().value() ? CheckResult.passed(observed, p.expected())
                : CheckResult.failed(observed, p.expected(), "the kernel log (" + log.source() + ") shows " + observed + ":\n" + kept
                        + (signals.size() > KEPT_LINES ? "\n... and " + (signals.size() - KEPT_LINES) + " more" : ""));
        return result.withFigures(Map.of("errors", Integer.toString(signals.size()), "devices", counted,
                "source", log.source(), "lines", kept, "last", last(log.text())));
    }

    private record KernelLog(String source, String text) {
    }

    /** journald's kernel log of this boot; dmesg where journald is absent or keeps none; null when neither prints it. */
    private static KernelLog read(RemoteShell shell) throws RemoteFailure {
        CommandResult journal = shell.run(Command.of("journalctl", "-k", "-b", "-q", "--no-pager", "--no-hostname",
                "-o", "short-monotonic"));
        if (journal.succeeded() && !journal.stdout().isBlank()) {
            return new KernelLog("journalctl -k -b", journal.stdout());
        }
        CommandResult dmesg = shell.run(Command.of("dmesg"));
        if (dmesg.succeeded() && !dmesg.stdout().isBlank()) {
            return new KernelLog("dmesg", dmesg.stdout());
        }
        return null;
    }

    /** The time of the log's last line, as {@code since} takes it: where the health gate starts counting. */
    static String last(String log) {
        long last = 0;
        for (String line : log.lines().toList()) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                last = Math.max(last, micros(m));
            }
        }
        return String.format(Locale.ROOT, "%d.%06d", last / 1_000_000, last % 1_000_000);
    }

    private static long micros(Matcher line) {
        return Long.parseLong(line.group(1)) * 1_000_000 + Long.parseLong(line.group(2));
    }

    private static long micros(String since) {
        String[] parts = since.split("\\.");
        String fraction = parts.length > 1 ? (parts[1] + "000000").substring(0, 6) : "0";
        return Long.parseLong(parts[0]) * 1_000_000 + Long.parseLong(fraction);
    }

    /** A host's line as kept: control characters replaced, at most 300 characters. */
    private static String shown(String line) {
        String clean = line.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 300 ? clean.substring(0, 300) + "..." : clean;
    }

    /** The error lines after {@code sinceMicros} of this boot (all of them for 0), each with the device it names. */
    static List<Signal> signals(String log, long sinceMicros) {
        List<Signal> found = new ArrayList<>();
        for (String line : log.lines().toList()) {
            Matcher m = LINE.matcher(line);
            if (!m.matches() || sinceMicros > 0 && micros(m) <= sinceMicros) {
                continue;
            }
            for (Pattern signal : SIGNALS) {
                Matcher s = signal.matcher(m.group(3));
                if (s.find()) {
                    found.add(new Signal(s.group(1), shown(line)));
                    break;
                }
            }
        }
        return found;
    }
}
