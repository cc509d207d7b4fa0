package dev.ballast.catalog;

import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * Reading and writing whole files on a host with cat, tee and rm: the same three commands for sysfs
 * knobs and for the configuration files Ballast owns, so every step captures and restores files alike.
 */
final class HostFiles {

    private HostFiles() {
    }

    /** The file's text, or null when it does not exist. */
    static String read(RemoteShell shell, RemotePath path) throws RemoteFailure {
        CommandResult result = shell.run(Command.of("cat", "--").arg(path));
        if (result.succeeded()) {
            return result.stdout();
        }
        if (result.stderr().contains("No such file or directory")) {
            return null;
        }
        throw RemoteFailure.commandFailed(result);
    }

    /** The file's text; its absence is a failure. */
    static String require(RemoteShell shell, RemotePath path) throws RemoteFailure {
        return shell.check(Command.of("cat", "--").arg(path)).stdout();
    }

    static void write(RemoteShell shell, RemotePath path, String text) throws RemoteFailure {
        shell.check(Command.of("tee", "--").arg(path).stdin(text));
    }

    /** Writes the text, or removes the file when the text is null: how a captured file is put back. */
    static void restore(RemoteShell shell, RemotePath path, String text) throws RemoteFailure {
        if (text == null) {
            shell.check(Command.of("rm", "-f", "--").arg(path));
        } else {
            write(shell, path, text);
        }
    }
}
