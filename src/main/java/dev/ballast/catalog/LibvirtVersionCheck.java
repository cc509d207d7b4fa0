package dev.ballast.catalog;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * Passes when the libvirt daemon is at least a given version. Asks the daemon, not the package
 * database, because a daemon not restarted after an upgrade still runs the old code.
 */
final class LibvirtVersionCheck extends PreflightCheck<Version> {

    private static final Pattern DAEMON = Pattern.compile("(?m)^Running against daemon: (\\d+)\\.(\\d+)\\.(\\d+)\\s*$");

    @Override
    public String id() {
        return "libvirt-version";
    }

    @Override
    public String description() {
        return "The running libvirt daemon is at least the given version";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.optional("min", "version", "lowest acceptable daemon version", "8.0.0", Version.PATTERN));
    }

    @Override
    protected Version parse(Parameters params) {
        return params.optional("min", "8.0.0", Version::parse);
    }

    @Override
    public CheckResult run(RemoteShell shell, Version min) throws RemoteFailure {
        Version running = daemon(shell);
        String expected = ">= " + min;
        return running.compareTo(min) >= 0 ? CheckResult.passed(running.toString(), expected)
                : CheckResult.failed(running.toString(), expected, "libvirt daemon " + running + " is older than " + min);
    }

    /** The version of the libvirt daemon that runs now. */
    static Version daemon(RemoteShell shell) throws RemoteFailure {
        CommandResult result = shell.check(Command.of("virsh", "version", "--daemon"));
        Matcher m = DAEMON.matcher(result.stdout());
        if (!m.find()) {
            throw RemoteFailure.commandFailed(result, "virsh version --daemon printed no 'Running against daemon:' line");
        }
        return Version.parse(m.group(1) + "." + m.group(2) + "." + m.group(3));
    }
}
