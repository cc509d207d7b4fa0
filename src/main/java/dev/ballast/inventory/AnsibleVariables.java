package dev.ballast.inventory;

import java.util.Map;
import java.util.Set;

import dev.ballast.input.Check;
import dev.ballast.inventory.AnsibleInventory.Var;
import dev.ballast.problem.FieldError;

/**
 * Ansible's own variables ({@code ansible_*}) of a host: which of them Ballast connects with, and what
 * it tells of the others. Those that make Ansible log in or connect otherwise than Ballast will are
 * warned about; none of their values is ever repeated (a key file's path, a password).
 */
final class AnsibleVariables {

    /** The connection settings Ballast reads, by current name, with their legacy names. */
    private static final Map<String, String> LEGACY = Map.of("ansible_host", "ansible_ssh_host", "ansible_port", "ansible_ssh_port",
            "ansible_user", "ansible_ssh_user");
    /** Connection plugins that reach a host over SSH, as Ballast does. */
    private static final Set<String> SSH = Set.of("ssh", "smart", "paramiko", "paramiko_ssh", "ansible.builtin.ssh",
            "ansible.builtin.paramiko_ssh");
    private static final Set<String> KEY_FILES = Set.of("ansible_ssh_private_key_file", "ansible_private_key_file");
    private static final Set<String> PASSWORDS = Set.of("ansible_password", "ansible_ssh_pass");

    private AnsibleVariables() {
    }

    /**
     * The name whose value Ansible connects with, or null when the host has neither: each name takes its
     * value by precedence on its own, then the legacy name wins wherever it was set (ansible-core 2.14
     * connects so), so a group's {@code ansible_ssh_port} beats the host's own {@code ansible_port}.
     */
    static String connectionKey(Map<String, Var> vars, String current) {
        String legacy = LEGACY.get(current);
        return vars.containsKey(legacy) ? legacy : vars.containsKey(current) ? current : null;
    }

    /** Notes each {@code ansible_*} variable of the host that Ballast does not use, warning of those that change how it is reached. */
    static void note(String host, Map<String, Var> vars, ImportNotes notes) {
        vars.forEach((key, var) -> {
            if (!key.startsWith("ansible_") || LEGACY.containsValue(key)) {
                return;
            }
            if (LEGACY.containsKey(key)) {
                if (vars.containsKey(LEGACY.get(key))) {
                    notes.ignore(host, new FieldError(key, "Ansible connects with " + LEGACY.get(key) + " (line "
                            + vars.get(LEGACY.get(key)).line() + ") instead: the legacy name wins wherever it is set", var.line()));
                }
            } else if (key.equals("ansible_connection")) {
                if (var.value() != null && SSH.contains(var.value())) { // null: a list or mapping, which Set.of refuses to look up
                    notes.ignore(host, new FieldError(key, "Ballast connects over SSH in any case", var.line()));
                } else {
                    notes.warn(host, new FieldError(key, "Ansible reaches the host with connection "
                            + (var.value() == null ? "given as a list or mapping" : Check.quoted(var.value()))
                            + ", not SSH; Ballast connects to it over SSH", var.line()));
                }
            } else if (KEY_FILES.contains(key)) {
                notes.warn(host, new FieldError(key, "Ansible logs in with a private key file of its own; Ballast logs in with "
                        + "the host's SSH identity from its key store: put that identity's public key into the host's "
                        + "authorized_keys", var.line()));
            } else if (PASSWORDS.contains(key)) {
                notes.warn(host, new FieldError(key, "Ansible logs in with a password; Ballast logs in with the host's SSH "
                        + "identity only", var.line()));
            } else {
                notes.ignore(host, new FieldError(key, "an Ansible setting Ballast has no use for", var.line()));
            }
        });
    }
}
