package dev.ballast.catalog;

import java.util.List;

import dev.ballast.remote.Command;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * The running kernel is at least a minimum version. The minimum is a policy, not a fact about
 * features: distributions backport, so RHEL 9's 5.14.0-* carries much of later kernels and a plan for
 * RHEL 9 hosts sets {@code min} to 5.14.
 */
final class KernelCheck extends PreflightCheck<KernelCheck.Params> {

    record Params(KernelVersion min) {
    }

    @Override
    public String id() {
        return "kernel";
    }

    @Override
    public String description() {
        return "The running kernel (uname -r) is at least min, compared as major.minor.patch. The minimum is a"
                + " policy: RHEL 9 ships 5.14 with backports, so set min 5.14 for RHEL 9 hosts";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.optional("min", "kernel-version", "lowest accepted release, such as 5.15",
                "5.15", KernelVersion.PATTERN));
    }

    @Override
    protected Params parse(Parameters params) {
        return new Params(params.optional("min", "5.15", KernelVersion::parseMinimum));
    }

    @Override
    public CheckResult run(RemoteShell shell, Params p) throws RemoteFailure {
        String release = shell.check(Command.of("uname", "-r")).stdout().strip();
        String expected = ">= " + p.min();
        KernelVersion running = KernelVersion.fromRelease(release);
        if (running == null) {
            return CheckResult.failed(ToolOutput.shown(release), expected,
                    "uname -r printed a release that does not start with major.minor");
        }
        if (running.compareTo(p.min()) < 0) {
            return CheckResult.failed(release, expected, "kernel " + running + " is older than the policy minimum "
                    + p.min() + " (a distribution kernel with backports may still be fine: lower min for it)");
        }
        return CheckResult.passed(release, expected);
    }
}
