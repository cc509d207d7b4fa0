package dev.ballast.catalog;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * An NVMe controller's PCIe link trained at the width it is capable of: a drive in a slot wired for
 * fewer lanes, or a link that retrained narrower, silently loses bandwidth. Needs root, or lspci hides
 * the capability registers.
 */
final class PcieLinkCheck extends PreflightCheck<PcieLinkCheck.Params> {

    private static final Set<Long> WIDTHS = Set.of(1L, 2L, 4L, 8L, 12L, 16L, 32L);
    private static final Pattern CAP = Pattern.compile("LnkCap:\\s+Port #\\d+, Speed (\\S+?), Width x(\\d+)");
    /** lspci 3.8+ appends " (downgraded)", 3.6 and 3.7 "(ok)" and the like, to speed and width. */
    private static final Pattern STA = Pattern.compile(
            "LnkSta:\\s+Speed (\\S+?)(?: \\((?:ok|downgraded|overdriven|strange)\\))?, Width x(\\d+)");

    record Params(NvmeController controller, Long width) {
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
        return "An NVMe controller's PCIe link runs at its full width (lspci LnkSta against LnkCap), and at width if given";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.optional("controller", "nvme-controller", "NVMe controller, such as nvme0", "nvme0",
                        "nvme\\d{1,3}"),
                ParameterSpec.optional("width", "integer", "lanes the link must have, such as 4", null, "1|2|4|8|12|16|32"));
    }

    @Override
    protected Params parse(Parameters params) {
        return new Params(params.optional("controller", "nvme0", NvmeController::new),
                params.optional("width", null, PcieLinkCheck::width));
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

    @Override
    public CheckResult run(RemoteShell shell, Params p) throws RemoteFailure {
        try {
            return link(shell, p);
        } catch (CheckFailed failed) {
            return failed.result();
        }
    }

    private CheckResult link(RemoteShell shell, Params p) throws RemoteFailure, CheckFailed {
        String expected = p.width() == null ? "width as capable" : "width x" + p.width();
        PciAddress address = NvmePci.address(shell, p.controller(), expected);
        CommandResult result = shell.run(Command.of("lspci", "-vvv", "-s").arg(address));
        if (!result.succeeded()) {
            throw new CheckFailed("lspci exited " + result.exitCode(), expected,
                    "lspci failed" + ToolOutput.stderrSuffix(result));
        }
        Link cap = Link.find(CAP, result.stdout());
        Link sta = Link.find(STA, result.stdout());
        if (cap == null || sta == null) {
            throw new CheckFailed("no link status", expected, "lspci shows no LnkCap/LnkSta for " + address.arg()
                    + " (not a PCI Express device, or not run as root)");
        }
        String observed = "x" + sta.width() + " at " + sta.speed() + " (capable of x" + cap.width() + " at " + cap.speed() + ")";
        Map<String, String> figures = Map.of("bdf", address.arg(), "cap_width", Integer.toString(cap.width()),
                "cap_speed", cap.speed(), "sta_width", Integer.toString(sta.width()), "sta_speed", sta.speed());
        if (sta.width() != cap.width()) {
            return CheckResult.failed(observed, "x" + cap.width(), p.controller().name() + " at " + address.arg()
                    + " trained at x" + sta.width() + " of its x" + cap.width() + " lanes").withFigures(figures);
        }
        if (p.width() != null && sta.width() != p.width()) {
            return CheckResult.failed(observed, expected, p.controller().name() + " is capable of only x" + cap.width()
                    + ", not the x" + p.width() + " the plan expects").withFigures(figures);
        }
        return CheckResult.passed(observed, expected).withFigures(figures);
    }
}
