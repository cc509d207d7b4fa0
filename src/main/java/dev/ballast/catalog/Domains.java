package dev.ballast.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * The virsh commands the libvirt steps and checks send. A domain is addressed by UUID only: a name is
 * resolved once with {@code virsh domuuid}, since libvirt names may hold characters no command should
 * carry and a numeric name would be read as an ID.
 */
final class Domains {

    private static final String NOT_FOUND = "error: failed to get domain";

    private Domains() {
    }

    /**
     * The UUIDs a reference stands for: the UUID itself, a name's UUID, or every defined domain (every
     * running one when {@code runningOnly}). Empty when the name is not defined.
     */
    static List<DomainRef.Uuid> resolve(RemoteShell shell, DomainRef ref, boolean runningOnly) throws RemoteFailure {
        if (ref.isUuid()) {
            return List.of(new DomainRef.Uuid(ref.text()));
        }
        if (ref.all()) {
            return listed(shell, runningOnly ? Command.of("virsh", "list", "--uuid") : Command.of("virsh", "list", "--all", "--uuid"));
        }
        CommandResult result = shell.run(Command.of("virsh", "domuuid").arg(ref.nameArg()));
        if (!result.succeeded() && result.stderr().startsWith(NOT_FOUND)) {
            return List.of();
        }
        if (!result.succeeded()) {
            throw RemoteFailure.commandFailed(result);
        }
        return List.of(uuid(result, result.stdout()));
    }

    /**
     * The domains that have no persistent configuration: started with {@code virsh create} by someone else, they
     * end when they stop, and a {@code define} would make them persistent.
     */
    static List<DomainRef.Uuid> transientDomains(RemoteShell shell) throws RemoteFailure {
        return listed(shell, Command.of("virsh", "list", "--all", "--uuid", "--transient"));
    }

    private static List<DomainRef.Uuid> listed(RemoteShell shell, Command list) throws RemoteFailure {
        CommandResult result = shell.check(list);
        List<DomainRef.Uuid> uuids = new ArrayList<>();
        for (String line : result.stdout().split("\n")) {
            if (!line.isBlank()) {
                uuids.add(uuid(result, line));
            }
        }
        return uuids;
    }

    private static DomainRef.Uuid uuid(CommandResult result, String text) throws RemoteFailure {
        try {
            return new DomainRef.Uuid(text.strip());
        } catch (IllegalArgumentException e) {
            throw RemoteFailure.commandFailed(result, "virsh printed something that is not a domain UUID: " + e.getMessage());
        }
    }

    /** The persistent XML with its secrets (without them a redefine would drop the VNC password); null when undefined. */
    static String inactiveXml(RemoteShell shell, DomainRef.Uuid uuid) throws RemoteFailure {
        CommandResult result = shell.run(Command.of("virsh", "dumpxml", "--inactive", "--security-info").arg(uuid));
        if (!result.succeeded() && result.stderr().startsWith(NOT_FOUND)) {
            return null;
        }
        if (!result.succeeded()) {
            throw RemoteFailure.commandFailed(result);
        }
        return result.stdout();
    }

    /** The XML the domain runs with now (the persistent one while it is shut off). */
    static String liveXml(RemoteShell shell, DomainRef.Uuid uuid) throws RemoteFailure {
        return shell.check(Command.of("virsh", "dumpxml").arg(uuid)).stdout();
    }

    /**
     * A domain's state with libvirt's reason for it, as {@code virsh domstate --reason} prints them: "running (booted)",
     * "shut off (failed)". The reason tells a guest someone shut down from one that should be running: its start
     * failed, or QEMU died under it.
     */
    record State(String state, String reason) {

        boolean shutOff() {
            return state.equals("shut off");
        }

        boolean troubled() {
            return state.equals("crashed") || shutOff() && (reason.equals("failed") || reason.equals("crashed"));
        }

        @Override
        public String toString() {
            return state + " (" + reason + ")";
        }
    }

    private static final Pattern STATE = Pattern.compile("([a-z][a-z ]*[a-z]) \\(([^()\\n]+)\\)");

    static State state(RemoteShell shell, DomainRef.Uuid uuid) throws RemoteFailure {
        CommandResult result = shell.check(Command.of("virsh", "domstate", "--reason").arg(uuid));
        Matcher m = STATE.matcher(result.stdout().strip());
        if (!m.matches()) {
            throw RemoteFailure.commandFailed(result, "virsh domstate --reason printed no 'state (reason)'");
        }
        return new State(m.group(1), m.group(2));
    }

    static boolean shutOff(RemoteShell shell, DomainRef.Uuid uuid) throws RemoteFailure {
        return state(shell, uuid).shutOff();
    }

    /** The domain's name as libvirt has it: any text, to be checked before it goes anywhere. */
    static String name(RemoteShell shell, DomainRef.Uuid uuid) throws RemoteFailure {
        return shell.check(Command.of("virsh", "domname").arg(uuid)).stdout().strip();
    }

    /**
     * Replaces the persistent XML; libvirt checks it against its schema first, so a bad edit changes nothing.
     * Given a transient domain's UUID it makes that domain persistent, which no rollback can undo.
     */
    static void define(RemoteShell shell, String xml) throws RemoteFailure {
        shell.check(Command.of("virsh", "define", "--validate", "/dev/stdin").stdin(xml));
    }
}
