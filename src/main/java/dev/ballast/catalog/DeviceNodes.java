package dev.ballast.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * The device nodes behind the names udev and LVM give them: /dev/VG/LV and /dev/mapper/NAME are symlinks
 * to /dev/dm-N, and pvs prints a PV on a device-mapper device by its /dev/mapper name, never as dm-N. Two
 * names are the same disk only when they resolve to the same node, so comparisons go through here.
 */
final class DeviceNodes {

    private DeviceNodes() {
    }

    /**
     * Each path mapped to its node, as {@code readlink -f} resolves it, in one command for all of them (one
     * line each, in order); a path that cannot be resolved makes readlink exit 1, and that is a failure.
     */
    static Map<RemotePath, RemotePath> resolve(RemoteShell shell, List<RemotePath> paths) throws RemoteFailure {
        Map<RemotePath, RemotePath> nodes = new LinkedHashMap<>();
        if (paths.isEmpty()) {
            return nodes;
        }
        Command command = Command.of("readlink", "-f", "--");
        for (RemotePath path : paths) {
            command = command.arg(path);
        }
        CommandResult result = shell.check(command);
        List<String> lines = result.stdout().lines().toList();
        if (lines.size() != paths.size()) {
            throw RemoteFailure.commandFailed(result, "readlink resolved " + lines.size() + " of " + paths.size() + " paths");
        }
        try {
            for (int i = 0; i < paths.size(); i++) {
                nodes.put(paths.get(i), RemotePath.of(lines.get(i)));
            }
        } catch (IllegalArgumentException e) {
            throw RemoteFailure.commandFailed(result, "readlink printed an unexpected path: " + e.getMessage());
        }
        return nodes;
    }
}
