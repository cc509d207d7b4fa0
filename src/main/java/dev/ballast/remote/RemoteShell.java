package dev.ballast.remote;

/** Runs commands on one host, over one connection, for the length of one task. */
public interface RemoteShell {

    /** Runs the command and returns its result whatever its exit code. */
    CommandResult run(Command command) throws RemoteFailure;

    /** Runs the command and fails with {@link RemoteFailure.Kind#COMMAND_FAILED} unless it exits 0. */
    default CommandResult check(Command command) throws RemoteFailure {
        CommandResult result = run(command);
        if (!result.succeeded()) {
            throw RemoteFailure.commandFailed(result);
        }
        return result;
    }
}
