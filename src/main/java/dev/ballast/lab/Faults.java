package dev.ballast.lab;

import java.time.Duration;

/**
 * Faults injected into one lab host. Tests and the demo flip them at any time; every field is read
 * fresh by the server on each connection or command.
 */
public final class Faults {

    /** Refuse every login, as with a key removed from authorized_keys. */
    public volatile boolean refuseLogin;
    /** Delay before the server says anything on a new connection. */
    public volatile Duration connectDelay = Duration.ZERO;
    /** Delay before each command runs. */
    public volatile Duration commandLatency = Duration.ZERO;
    /** A program name whose commands never finish ("*" for all). */
    public volatile String hangOn;
    /** A program name whose commands drop the connection halfway ("*" for all). */
    public volatile String dropOn;
    /** A program name whose next command (run to its end) drops the connection halfway; then the fault clears. */
    public volatile String dropOnceOn;
    /** A program name whose commands fail at once with an I/O error and change nothing ("*" for all). */
    public volatile String failOn;
    /** A program name whose commands make the kernel log an nvme0 I/O timeout, as a drive that starts failing under a change. */
    public volatile String kernelTimeoutOn;
    /** Runtime writes (sysfs, sysctl) report success but do not stick, as when another agent resets them. */
    public volatile boolean undoRuntimeWrites;

    /** Whether this command of {@code program} is the one to drop; a transient break happens once. */
    synchronized boolean dropOnce(String program) {
        if (!matches(dropOnceOn, program)) {
            return false;
        }
        dropOnceOn = null;
        return true;
    }

    static boolean matches(String rule, String program) {
        return rule != null && (rule.equals("*") || rule.equals(program));
    }

    public void clear() {
        refuseLogin = false;
        connectDelay = Duration.ZERO;
        commandLatency = Duration.ZERO;
        hangOn = null;
        kernelTimeoutOn = null;
        dropOn = null;
        dropOnceOn = null;
        failOn = null;
        undoRuntimeWrites = false;
    }
}
