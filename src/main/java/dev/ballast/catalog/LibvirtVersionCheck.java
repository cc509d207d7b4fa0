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
final class LibvirtVersionCheck extends PreflightCheck<LibvirtVersionCheck.Version> {

    private static final Pattern DAEMON = Pattern.compile("(?m)^Running against daemon: (\\d+)\\.(\\d+)\\.(\\d+)\\s*$");

    /** A libvirt version, compared numerically part by part (9.10.0 is newer than 9.9.0). */
    record Version(int major, int minor, int micro) implements Comparable<Version> {

        private static final Pattern TEXT = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})(?:\\.(\\d{1,4}))?");

        static Version parse(String text) {
            Matcher m = TEXT.matcher(text == null ? "" : text);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + Values.printable(String.valueOf(text))
                        + "' is not a version: digits.digits or digits.digits.digits, such as 8.0.0");
            }
            return new Version(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
        }

        @Override
        public int compareTo(Version other) {
            int major = Integer.compare(this.major, other.major);
            int minor = Integer.compare(this.minor, other.minor);
            return major != 0 ? major : minor != 0 ? minor : Integer.compare(micro, other.micro);
        }

        @Override
        public String toString() {
            return major + "." + minor + "." + micro;
        }
    }

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
        return List.of(ParameterSpec.optional("min", "version", "lowest acceptable daemon version", "8.0.0",
                "\\d{1,4}\\.\\d{1,4}(\\.\\d{1,4})?"));
    }

    @Override
    protected Version parse(Parameters params) {
        return params.optional("min", "8.0.0", Version::parse);
    }

    @Override
    public CheckResult run(RemoteShell shell, Version min) throws RemoteFailure {
        CommandResult result = shell.check(Command.of("virsh", "version", "--daemon"));
        Matcher m = DAEMON.matcher(result.stdout());
        if (!m.find()) {
            throw RemoteFailure.commandFailed(result, "virsh version --daemon printed no 'Running against daemon:' line");
        }
        Version running = Version.parse(m.group(1) + "." + m.group(2) + "." + m.group(3));
        String expected = ">= " + min;
        return running.compareTo(min) >= 0 ? CheckResult.passed(running.toString(), expected)
                : CheckResult.failed(running.toString(), expected, "libvirt daemon " + running + " is older than " + min);
    }
}
