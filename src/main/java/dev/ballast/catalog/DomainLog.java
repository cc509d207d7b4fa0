package dev.ballast.catalog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * The last lines of a domain's QEMU log ({@code /var/log/libvirt/qemu/NAME.log}), kept with a result so the
 * operator reads QEMU's own reason (a disk it could not open, memory it could not allocate) next to Ballast's.
 * Capped in lines and bytes, and masked when read: secrets a QEMU command line may carry (a secret object's
 * {@code data}, an RBD {@code key}, a {@code password}) never leave this class. The name goes into the path
 * only after {@link DomainRef}'s strict name rule; a domain named otherwise is reported, not read.
 *
 * @param domain the domain's name as libvirt gives it (shown, not trusted)
 * @param state  what {@code virsh domstate --reason} said, such as "shut off (failed)"
 * @param path   the log read; null when the name is not one Ballast puts in a path
 * @param lines  the last lines, masked, at most {@link #LINES} and {@link #BYTES} bytes together
 * @param cut    whether older lines were left out
 * @param note   why there are no lines, or null
 * @param qemuSaid the last line where QEMU itself reports an error, or null
 */
public record DomainLog(String domain, String uuid, String state, String path, List<String> lines, boolean cut, String note,
        String qemuSaid) {

    static final int LINES = 30;
    static final int BYTES = 4096;
    /** Logs kept with one result: the domains in trouble first; a step over {@code all} must not keep a fleet's logs. */
    static final int DOMAINS = 3;
    static final String MASK = "********";
    private static final String DIRECTORY = "/var/log/libvirt/qemu/";
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,63}");
    /** key=value options of a QEMU command line (-object secret,data=..., rbd:...:key=...), on/off switches aside. */
    private static final Pattern OPTION = Pattern.compile(
            "(?i)(?<![A-Za-z0-9_-])((?:passw(?:or)?d|secret|key|data)=)(?!(?:on|off)(?:[,:\\s'\"]|$))[^,:\\s'\"\\\\]+");
    /** The same as JSON members, as -object and -blockdev take them since QEMU 6. */
    private static final Pattern MEMBER = Pattern.compile("(?i)(\"(?:passw(?:or)?d|secret|key|data)\"\\s*:\\s*\")[^\"\\\\]*(\")");
    private static final Pattern QEMU_ERROR = Pattern.compile("\\b(?:qemu-system-[a-z0-9_]+|qemu-kvm): ");

    public DomainLog {
        lines = List.copyOf(lines);
    }

    /** The logs of these domains worth keeping: those crashed or whose start failed first, at most {@link #DOMAINS}. */
    static List<DomainLog> of(RemoteShell shell, List<DomainRef.Uuid> uuids, boolean onlyTroubled) throws RemoteFailure {
        List<DomainLog> troubled = new ArrayList<>();
        List<DomainLog> others = new ArrayList<>();
        for (DomainRef.Uuid uuid : uuids) {
            if (troubled.size() >= DOMAINS) {
                break;
            }
            Domains.State state = Domains.state(shell, uuid);
            if (state.troubled()) {
                troubled.add(read(shell, uuid, state));
            } else if (!onlyTroubled && troubled.size() + others.size() < DOMAINS) {
                others.add(read(shell, uuid, state));
            }
        }
        troubled.addAll(others);
        return List.copyOf(troubled.subList(0, Math.min(DOMAINS, troubled.size())));
    }

    private static DomainLog read(RemoteShell shell, DomainRef.Uuid uuid, Domains.State state) throws RemoteFailure {
        String name = Domains.name(shell, uuid);
        if (!NAME.matcher(name).matches()) {
            return new DomainLog(Values.printable(name), uuid.value(), state.toString(), null, List.of(), false,
                    "not read: Ballast puts only names of letters, digits and ._- starting with a letter into a path", null);
        }
        RemotePath path = RemotePath.of(DIRECTORY + name + ".log");
        // The byte cap is applied on the host: a log can be megabytes, and only its end is wanted.
        CommandResult result = shell.run(Command.of("tail", "-c", Integer.toString(BYTES), "--").arg(path));
        if (!result.succeeded()) {
            return new DomainLog(name, uuid.value(), state.toString(), path.path(), List.of(), false,
                    "no log: " + ToolOutput.shown(result.stderr()), null);
        }
        List<String> lines = new ArrayList<>(result.stdout().lines().toList());
        boolean cut = result.truncated() || result.stdout().getBytes(StandardCharsets.UTF_8).length >= BYTES;
        if (cut && lines.size() > 1) {
            lines.remove(0);
        } else if (cut && !lines.isEmpty()) {
            lines.set(0, "..." + lines.get(0));
        }
        lines.replaceAll(DomainLog::masked);
        // A mask can be longer than the secret it hides: the cap holds for what is kept.
        while (lines.size() > LINES || lines.size() > 1 && bytes(lines) > BYTES) {
            lines.remove(0);
            cut = true;
        }
        if (!lines.isEmpty() && bytes(lines) > BYTES) {
            String only = lines.get(0);
            lines.set(0, "..." + only.substring(only.length() - (BYTES - 3) / 4));
        }
        String qemuSaid = null;
        for (String line : lines) {
            qemuSaid = QEMU_ERROR.matcher(line).find() ? line : qemuSaid;
        }
        return new DomainLog(name, uuid.value(), state.toString(), path.path(), lines, cut, null, qemuSaid);
    }

    /** A log line with its secrets masked and control characters made visible. */
    static String masked(String line) {
        String members = MEMBER.matcher(line).replaceAll("$1" + MASK + "$2");
        return OPTION.matcher(members).replaceAll("$1" + MASK).replaceAll("\\p{Cntrl}", "?");
    }

    private static int bytes(List<String> lines) {
        return String.join("\n", lines).getBytes(StandardCharsets.UTF_8).length;
    }

    /** One line for a host's "why": the domain and what QEMU said, or its state. */
    public String summary() {
        return domain + " is " + state + (qemuSaid == null ? "" : "; QEMU: " + qemuSaid);
    }
}
