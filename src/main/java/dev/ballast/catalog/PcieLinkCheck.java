package dev.ballast.catalog;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * An NVMe controller's PCIe link trained at the speed and width it is capable of: a drive in a slot wired
 * for fewer lanes or an older PCIe generation, or a link that retrained narrower or slower, silently loses
 * bandwidth. Needs root, or lspci hides the capability registers.
 */
final class PcieLinkCheck extends PreflightCheck<PcieLinkCheck.Params> {

    private static final Set<Long> WIDTHS = Set.of(1L, 2L, 4L, 8L, 12L, 16L, 32L);
    /** The rates of PCIe 1 to 6, in GT/s, as a plan gives them: lspci prints them with "GT/s" appended. */
    private static final Pattern SPEED = Pattern.compile("2\\.5|5|8|16|32|64");
    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)GT/s");
    private static final Pattern CAP = Pattern.compile("LnkCap:\\s+Port #\\d+, Speed (\\S+?), Width x(\\d+)");
    /**
     * lspci 3.8+ appends " (downgraded)" or " (overdriven)" to a speed or width that differs from LnkCap's,
     * 3.7 "(ok)" and the like to both, older versions nothing.
     */
    private static final Pattern STA = Pattern.compile(
            "LnkSta:\\s+Speed (\\S+?)(?: \\((?:ok|downgraded|overdriven|strange)\\))?, Width x(\\d+)");

    /** {@code speed} is the slowest rate the plan accepts, as lspci prints it ({@code 16GT/s}). */
    record Params(NvmeController controller, Long width, String speed) {

        String expected() {
            if (width == null && speed == null) {
                return "width and speed as capable";
            }
            return Stream.of(width == null ? null : "width x" + width, speed == null ? null : "at least " + speed)
                    .filter(Objects::nonNull).collect(Collectors.joining(", "));
        }
    }

    record Link(String speed, int width) {
        static Link find(Pattern pattern, String text) {
            Matcher m = pattern.matcher(text);
            return m.find() ? new Link(m.group(1), Integer.parseInt(m.group(2))) : null;
        }
    }

    @Override
    public String id() {
        return "pcie-link";
    }

    @Override
    public String description() {
        return "An NVMe controller's PCIe link runs at its full speed and width (lspci LnkSta against LnkCap),"
                + " at width if given, and at speed or faster if given";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.optional("controller", "nvme-controller", "NVMe controller, such as nvme0", "nvme0",
                        "nvme\\d{1,3}"),
                ParameterSpec.optional("width", "integer", "lanes the link must have, such as 4", null, "1|2|4|8|12|16|32"),
                ParameterSpec.optional("speed", "number", "slowest rate the link may run at, in GT/s, such as 16", null,
                        SPEED.pattern()));
    }

    @Override
    protected Params parse(Parameters params) {
        return new Params(params.optional("controller", "nvme0", NvmeController::new),
                params.optional("width", null, PcieLinkCheck::width), params.optional("speed", null, PcieLinkCheck::speed));
    }

    private static Long width(String text) {
        if (text == null) {
            return null;
        }
        long lanes = Count.parse(text, 1, 32).value();
        if (!WIDTHS.contains(lanes)) {
            throw new IllegalArgumentException("a PCIe link has 1, 2, 4, 8, 12, 16 or 32 lanes, not " + lanes);
        }
        return lanes;
    }

    private static String speed(String text) {
        return text == null ? null : Values.matching("PCIe speed", text, SPEED, "GT/s, one of 2.5, 5, 8, 16, 32 or 64") + "GT/s";
    }

    @Override
    public CheckResult run(RemoteShell shell, Params p) throws RemoteFailure {
        try {
            return link(shell, p);
        } catch (CheckFailed failed) {
            return failed.result();
        }
    }

    private CheckResult link(RemoteShell shell, Params p) throws RemoteFailure, CheckFailed {
        PciAddress address = NvmePci.address(shell, p.controller(), p.expected());
        CommandResult result = shell.run(Command.of("lspci", "-vvv", "-s").arg(address));
        if (!result.succeeded()) {
            throw new CheckFailed("lspci exited " + result.exitCode(), p.expected(),
                    "lspci failed" + ToolOutput.stderrSuffix(result));
        }
        Link cap = Link.find(CAP, result.stdout());
        Link sta = Link.find(STA, result.stdout());
        if (cap == null || sta == null) {
            throw new CheckFailed("no link status", p.expected(), "lspci shows no LnkCap/LnkSta for " + address.arg()
                    + " (not a PCI Express device, or not run as root)");
        }
        Map<String, String> figures = Map.of("bdf", address.arg(), "cap_width", Integer.toString(cap.width()),
                "cap_speed", cap.speed(), "sta_width", Integer.toString(sta.width()), "sta_speed", sta.speed());
        return judge(p, address, cap, sta).withFigures(figures);
    }

    /** The link against its own capability first: a plan's figures cannot excuse a degraded link. */
    private static CheckResult judge(Params p, PciAddress address, Link cap, Link sta) {
        String observed = "x" + sta.width() + " at " + sta.speed() + " (capable of x" + cap.width() + " at " + cap.speed() + ")";
        String at = p.controller().name() + " at " + address.arg();
        if (sta.width() != cap.width()) {
            return CheckResult.failed(observed, "x" + cap.width(), at + " trained at x" + sta.width() + " of its x"
                    + cap.width() + " lanes");
        }
        if (!sta.speed().equals(cap.speed())) {
            return CheckResult.failed(observed, cap.speed(), at + " trained at " + sta.speed() + ", not the " + cap.speed()
                    + " it is capable of");
        }
        if (p.width() != null && sta.width() != p.width()) {
            return CheckResult.failed(observed, p.expected(), p.controller().name() + " is capable of only x" + cap.width()
                    + ", not the x" + p.width() + " the plan expects");
        }
        // A rate lspci cannot name (NaN) is no proof of the speed the plan asks for.
        if (p.speed() != null && !(rate(sta.speed()) >= rate(p.speed()))) {
            return CheckResult.failed(observed, p.expected(), p.controller().name() + " is capable of only " + cap.speed()
                    + ", not the " + p.speed() + " the plan expects");
        }
        return CheckResult.passed(observed, p.expected());
    }

    /** NaN where lspci does not know the rate ("unknown": a PCIe generation newer than lspci). */
    private static double rate(String speed) {
        Matcher m = RATE.matcher(speed);
        return m.matches() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}
