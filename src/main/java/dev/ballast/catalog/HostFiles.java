package dev.ballast.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * Reading and writing whole files on a host with tail, tee and rm: the same three commands for sysfs
 * knobs and for the configuration files Ballast owns, so every step captures and restores files alike.
 * Reads go through {@code tail -v -n +1}, which prints several files in one command (one SSH channel per
 * probe instead of one per file: at a thousand hosts the channels, not the bytes, are the cost).
 */
final class HostFiles {

    private static final String NO_SUCH_FILE = "No such file or directory";

    private HostFiles() {
    }

    /** The file's text, or null when it does not exist. */
    static String read(RemoteShell shell, RemotePath path) throws RemoteFailure {
        return readAll(shell, List.of(path)).get(path);
    }

    /** The file's text; its absence is a failure. */
    static String require(RemoteShell shell, RemotePath path) throws RemoteFailure {
        String text = read(shell, path);
        if (text == null) {
            throw new RemoteFailure(RemoteFailure.Kind.COMMAND_FAILED, path + " does not exist", null);
        }
        return text;
    }

    /**
     * The texts of several files in one command, in the order asked; a file that does not exist maps to null.
     * tail prints {@code ==> PATH <==} before each file it could open (and a blank line before every header
     * but the first) and names the ones it could not open on stderr.
     */
    static Map<RemotePath, String> readAll(RemoteShell shell, List<RemotePath> paths) throws RemoteFailure {
        Command command = Command.of("tail", "-v", "-n", "+1", "--");
        for (RemotePath path : paths) {
            command = command.arg(path);
        }
        CommandResult result = shell.run(command);
        List<RemotePath> present = new ArrayList<>();
        for (RemotePath path : paths) {
            if (!reportedMissing(result.stderr(), path)) {
                present.add(path);
            }
        }
        boolean onlyMissingFiles = result.stderr().lines().allMatch(line -> line.endsWith(NO_SUCH_FILE));
        if (!result.succeeded() && (!onlyMissingFiles || present.size() == paths.size())) {
            throw RemoteFailure.commandFailed(result);
        }
        Map<RemotePath, String> texts = split(result, present);
        if (texts == null) {
            texts = new LinkedHashMap<>();
            for (RemotePath path : present) {
                texts.put(path, read(shell, path));
            }
        }
        Map<RemotePath, String> inOrder = new LinkedHashMap<>();
        for (RemotePath path : paths) {
            inOrder.put(path, texts.get(path));
        }
        return inOrder;
    }

    private static boolean reportedMissing(String stderr, RemotePath path) {
        // GNU quotes names 'so' in the C locale and \u2018so\u2019 in UTF-8 ones
        return stderr.lines().anyMatch(line -> line.endsWith(NO_SUCH_FILE)
                && (line.contains("'" + path.path() + "'") || line.contains("\u2018" + path.path() + "\u2019")));
    }

    /**
     * Cuts tail's output at the headers; null when a header of a file other than the first appears more
     * than once, that is when some file's text holds a line that looks like it.
     */
    private static Map<RemotePath, String> split(CommandResult result, List<RemotePath> present) throws RemoteFailure {
        if (result.truncated()) {
            throw RemoteFailure.commandFailed(result, "the files were longer than the output Ballast keeps");
        }
        String out = result.stdout();
        List<String> headers = new ArrayList<>();
        for (int i = 0; i < present.size(); i++) {
            String header = (i == 0 ? "" : "\n") + "==> " + present.get(i).path() + " <==\n";
            int first = out.indexOf(header);
            if (i == 0 ? first != 0 : first < 0) {
                throw RemoteFailure.commandFailed(result, "tail printed no header for " + present.get(i));
            }
            if (i > 0 && out.indexOf(header, first + 1) >= 0) {
                return null;
            }
            headers.add(header);
        }
        Map<RemotePath, String> texts = new LinkedHashMap<>();
        for (int i = 0; i < present.size(); i++) {
            int start = out.indexOf(headers.get(i)) + headers.get(i).length();
            int end = i + 1 < present.size() ? out.indexOf(headers.get(i + 1)) : out.length();
            if (end < start) {
                throw RemoteFailure.commandFailed(result, "tail printed " + present.get(i + 1) + " before " + present.get(i));
            }
            texts.put(present.get(i), out.substring(start, end));
        }
        return texts;
    }

    static void write(RemoteShell shell, RemotePath path, String text) throws RemoteFailure {
        CommandResult result = offer(shell, path, text);
        if (!result.succeeded()) {
            throw RemoteFailure.commandFailed(result);
        }
    }

    /** Writes the file and answers how that went, for a value the kernel may refuse (a sysfs queue depth out of range). */
    static CommandResult offer(RemoteShell shell, RemotePath path, String text) throws RemoteFailure {
        return shell.run(Command.of("tee", "--").arg(path).stdin(text));
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
