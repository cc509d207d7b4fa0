package dev.ballast.lab;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SELinux on a lab host: its mode (null where the tools are not installed at all, as on Debian) and the
 * local file-context rules semanage keeps, listed in the order they were added as semanage does. Only
 * "all files" rules, the kind {@code semanage fcontext -a} adds without {@code -f}.
 */
final class Selinux {

    /** Enforcing, Permissive or Disabled; null when getenforce and semanage are missing. */
    volatile String mode;
    final Map<String, String> local = new LinkedHashMap<>();
    private final Lvm lvm;

    Selinux(Lvm lvm) {
        this.lvm = lvm;
    }

    Exec run(String program, List<String> args) {
        if (mode == null) {
            return Exec.fail(127, "bash: line 1: " + program + ": command not found\n");
        }
        return switch (program) {
            case "getenforce" -> LabPrograms.expect(args, List.of(), () -> Exec.ok(mode + "\n"));
            case "semanage" -> semanage(args);
            case "restorecon" -> restorecon(args);
            default -> throw new LabSurprise("no SELinux program " + program);
        };
    }

    private Exec semanage(List<String> args) {
        if (args.equals(List.of("fcontext", "--list", "--locallist"))) {
            return Exec.ok(list());
        }
        if (args.size() == 5 && args.get(0).equals("fcontext") && args.get(2).equals("-t") && types(args.get(3))) {
            String spec = args.get(4);
            boolean add = args.get(1).equals("-a");
            if (!add && !args.get(1).equals("-m")) {
                throw new LabSurprise("semanage " + args);
            }
            if (add == local.containsKey(spec)) {
                return Exec.fail(1, "ValueError: File context for " + spec + (add ? " already defined" : " is not defined") + "\n");
            }
            local.put(spec, args.get(3));
            return Exec.ok("");
        }
        if (args.size() == 3 && args.get(0).equals("fcontext") && args.get(1).equals("-d")) {
            if (local.remove(args.get(2)) == null) {
                return Exec.fail(1, "ValueError: File context for " + args.get(2) + " is not defined\n");
            }
            return Exec.ok("");
        }
        throw new LabSurprise("semanage " + args);
    }

    private static boolean types(String type) {
        return type.matches("[a-z0-9_]+_t");
    }

    /** seobject.py's layout: a heading and a blank line, then "%-50s %-18s %s " per rule; nothing when empty. */
    private String list() {
        if (local.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(String.format("%-50s %-18s %s\n\n", "SELinux fcontext", "type", "Context"));
        local.forEach((spec, type) -> out.append(String.format("%-50s %-18s %s \n", spec, "all files",
                "system_u:object_r:" + type + ":s0")));
        return out.toString();
    }

    /**
     * Nothing to relabel in the lab. The catalog always passes -i, because a group holding only a thin pool
     * has no /dev directory for restorecon to find; anything else is a surprise.
     */
    private Exec restorecon(List<String> args) {
        if (args.size() != 3 || !args.get(0).equals("-R") || !args.get(1).equals("-i")
                || !args.get(2).matches("/dev/[A-Za-z0-9_.-]+")) {
            throw new LabSurprise("restorecon " + args);
        }
        return Exec.ok("");
    }

    /** The type the local rule for {@code spec} gives, or null. */
    String localType(String spec) {
        return local.get(spec);
    }
}
