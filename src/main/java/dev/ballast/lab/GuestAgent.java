package dev.ballast.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * What the qemu-guest-agent of a lab guest answers through {@code virsh qemu-agent-command}: compact JSON
 * as libvirt prints it, each command the catalog sends answered as the agent of that version does.
 * guest-info lists the commands an agent supports; 5.2 (Debian 11) lacks the ones 7.x added.
 */
final class GuestAgent {

    static final String PING = "{\"execute\":\"guest-ping\"}";
    static final String INFO = "{\"execute\":\"guest-info\"}";
    static final String OSINFO = "{\"execute\":\"guest-get-osinfo\"}";
    /** The agent of guests that were never upgraded, and the one Debian 12 ships. */
    static final String OLD = "5.2.0";
    static final String CURRENT = "7.2.0";
    private static final List<String> COMMANDS_5_2 = List.of("guest-get-devices", "guest-get-disks", "guest-get-osinfo",
            "guest-get-fsinfo", "guest-fsfreeze-thaw", "guest-fsfreeze-freeze-list", "guest-fsfreeze-freeze",
            "guest-fsfreeze-status", "guest-info", "guest-ping", "guest-sync", "guest-sync-delimited");
    private static final List<String> COMMANDS_7_2 = List.of("guest-get-cpustats", "guest-get-diskstats",
            "guest-ssh-remove-authorized-keys", "guest-ssh-add-authorized-keys", "guest-ssh-get-authorized-keys");

    private GuestAgent() {
    }

    static boolean knows(String command) {
        return command.equals(PING) || command.equals(INFO) || command.equals(OSINFO);
    }

    /** The answer of an agent of this version, or null for a command it does not know. */
    static String answer(String command, String version) {
        return switch (command) {
            case PING -> "{\"return\":{}}";
            case INFO -> info(version);
            case OSINFO -> "{\"return\":{\"name\":\"Debian GNU/Linux\",\"kernel-release\":"
                    + "\"6.1.0-27-amd64\",\"version\":\"12 (bookworm)\",\"pretty-name\":\"Debian GNU/Linux 12 (bookworm)\","
                    + "\"version-id\":\"12\",\"kernel-version\":\"#1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01)\","
                    + "\"machine\":\"x86_64\",\"id\":\"debian\",\"kernel-name\":\"Linux\"}}";
            default -> null;
        };
    }

    private static String info(String version) {
        StringBuilder commands = new StringBuilder();
        List<String> supported = new ArrayList<>(version.equals(OLD) ? List.of() : COMMANDS_7_2);
        supported.addAll(COMMANDS_5_2);
        for (String name : supported) {
            commands.append(commands.isEmpty() ? "" : ",").append("{\"enabled\":true,\"name\":\"").append(name)
                    .append("\",\"success-response\":true}");
        }
        return "{\"return\":{\"version\":\"" + version + "\",\"supported_commands\":[" + commands + "]}}";
    }
}
