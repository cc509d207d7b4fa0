package dev.ballast.catalog;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * The kernel has the IOMMU on, as libvirt's own validator reports it. LC_ALL=C because the line is
 * matched by its English text; the exit code is ignored because the tool exits non-zero when any of
 * its other checks fails.
 */
final class IommuCheck extends PreflightCheck<IommuCheck.Params> {

    record Params() {
    }

    private static final Pattern LINE = Pattern.compile(
            "(?m)^\\s*QEMU: Checking if IOMMU is enabled by kernel\\s*: (PASS|WARN|FAIL)(?: \\((.*)\\))?\\s*$");
    /** Without IOMMU hardware (no DMAR/IVRS table) the tool stops here and never asks the kernel. */
    private static final Pattern HARDWARE = Pattern.compile(
            "(?m)^\\s*QEMU: Checking for device assignment IOMMU support\\s*: (?:WARN|FAIL) \\((.*)\\)\\s*$");

    @Override
    public String id() {
        return "iommu";
    }

    @Override
    public String description() {
        return "The IOMMU is enabled by the kernel, as virt-host-validate qemu reports it (needed for device assignment)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of();
    }

    @Override
    protected Params parse(Parameters params) {
        return new Params();
    }

    @Override
    public CheckResult run(RemoteShell shell, Params p) throws RemoteFailure {
        CommandResult result = shell.run(Command.of("env", "LC_ALL=C", "virt-host-validate", "qemu"));
        Matcher m = LINE.matcher(result.stdout());
        if (!m.find()) {
            Matcher hardware = HARDWARE.matcher(result.stdout());
            return CheckResult.failed("not reported", "PASS", "virt-host-validate qemu did not report whether the kernel"
                    + " enabled the IOMMU (exit " + result.exitCode() + ")"
                    + (hardware.find() ? ": " + ToolOutput.shown(hardware.group(1)) : ToolOutput.stderrSuffix(result)));
        }
        if (m.group(1).equals("PASS")) {
            return CheckResult.passed("PASS", "PASS");
        }
        return CheckResult.failed(m.group(1), "PASS", m.group(2) == null ? "virt-host-validate gave no advice"
                : ToolOutput.shown(m.group(2)));
    }
}
