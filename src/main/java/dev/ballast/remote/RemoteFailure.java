package dev.ballast.remote;


/**
 * Why work on a host could not go on, as a kind callers decide on, never as a message to parse.
 * A {@link Kind#COMMAND_FAILED} failure keeps the command's exit code and output.
 */
public class RemoteFailure extends Exception {

    public enum Kind {
        /** Nothing accepted the TCP connection (refused, no route, unknown name). */
        UNREACHABLE,
        /** The server refused Ballast's key or user. */
        AUTH_FAILED,
        /** No host key is pinned and the host is not marked trust-on-first-use. */
        HOST_KEY_UNKNOWN,
        /** The host presented a key other than the pinned one; it is quarantined until an admin decides. */
        HOST_KEY_MISMATCH,
        /** Connecting, logging in or a command took longer than allowed. */
        TIMEOUT,
        /** An established connection broke. */
        CONNECTION_LOST,
        /** A command ran and exited non-zero, or printed what the step cannot accept. */
        COMMAND_FAILED
    }

    private final Kind kind;
    private final transient CommandResult result;
    private final transient PinnedHostKey presentedHostKey;

    public RemoteFailure(Kind kind, String message, Throwable cause) {
        this(kind, message, null, null, cause);
    }

    private RemoteFailure(Kind kind, String message, CommandResult result, PinnedHostKey presentedHostKey, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.result = result;
        this.presentedHostKey = presentedHostKey;
    }

    /** A host-key failure, with the key the host presented so it can be quarantined or shown to an admin. */
    static RemoteFailure hostKey(Kind kind, String message, PinnedHostKey presented, Throwable cause) {
        return new RemoteFailure(kind, message, null, presented, cause);
    }

    /** The key the host presented, for HOST_KEY_UNKNOWN and HOST_KEY_MISMATCH; null otherwise. */
    public PinnedHostKey presentedHostKey() {
        return presentedHostKey;
    }

    public static RemoteFailure commandFailed(CommandResult result, String why) {
        return new RemoteFailure(Kind.COMMAND_FAILED, why, result, null, null);
    }

    public static RemoteFailure commandFailed(CommandResult result) {
        String stderr = result.stderr().strip();
        return commandFailed(result, "'" + result.command() + "' exited with " + result.exitCode()
                + (stderr.isEmpty() ? "" : ": " + firstLine(stderr)));
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    public Kind kind() {
        return kind;
    }

    /** The command's result when one ran to its end; null otherwise. */
    public CommandResult result() {
        return result;
    }
}
