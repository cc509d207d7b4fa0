package dev.ballast.lab;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import javax.xml.stream.XMLStreamException;

/**
 * The libvirt daemon of a lab host, as virsh shows it. Each domain has a persistent (inactive) XML and,
 * while it runs, the live XML it was started with: {@code define} replaces only the persistent one, so
 * a running domain keeps its old configuration until a cold start, as on a real host. A transient domain
 * ({@code virsh create}) has only the live XML, and {@code define} of its UUID makes it persistent. Output is what
 * virsh prints, trailing blank line included; a domain is addressed by UUID everywhere except
 * {@code domuuid}, because the catalog must never pass a name anywhere else.
 */
public final class Libvirt {

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");

    private final Map<String, LabDomain> domains = new LinkedHashMap<>();
    private volatile String version = "9.0.0";
    final Qemu qemu = new Qemu();

    /** A domain as the lab host starts with it; a running one was started at {@link QemuLogs#FIRST_START}. */
    synchronized void add(String xml, boolean running, boolean agentConnected) {
        LibvirtXml.Element root = parseOrFail(xml);
        String formatted = LibvirtXml.format(root);
        LabDomain domain = new LabDomain(root.childText("uuid"), root.childText("name"), formatted, false, agentConnected);
        domains.put(domain.uuid, domain);
        if (running) {
            qemu.start(domain, Long.MAX_VALUE, QemuLogs.FIRST_START);
        }
    }

    /** The daemon's version, which the domains' logs name too; the host's hostname and kernel are for the logs alone. */
    void version(String daemonVersion, String hostname, String kernel) {
        this.version = daemonVersion;
        qemu.logs.host(hostname, kernel, daemonVersion);
    }

    synchronized Exec virsh(List<String> args, String stdin) {
        String sub = args.isEmpty() ? "" : args.get(0);
        List<String> rest = args.subList(Math.min(1, args.size()), args.size());
        return switch (sub) {
            case "list" -> list(rest);
            case "domuuid" -> domuuid(rest);
            case "dumpxml" -> dumpxml(rest);
            case "domstate" -> rest.isEmpty() || !rest.get(0).equals("--reason") ? surprise("virsh domstate " + rest)
                    : withDomain(rest.subList(1, rest.size()), 1, d -> Exec.ok((d.running() ? "running" : "shut off") + " ("
                            + d.reason + ")\n\n"));
            case "domname" -> withDomain(rest, 1, d -> Exec.ok(d.name + "\n\n"));
            case "define" -> LabPrograms.expect(rest, List.of("--validate", "/dev/stdin"), () -> define(stdin));
            case "qemu-agent-command" -> agentCommand(rest);
            case "version" -> LabPrograms.expect(rest, List.of("--daemon"), this::printVersion);
            default -> throw new LabSurprise("virsh " + args);
        };
    }

    private Exec list(List<String> args) {
        java.util.function.Predicate<LabDomain> listed;
        if (args.equals(List.of("--all", "--uuid"))) {
            listed = d -> true;
        } else if (args.equals(List.of("--uuid"))) {
            listed = LabDomain::running;
        } else if (args.equals(List.of("--all", "--uuid", "--transient"))) {
            listed = d -> !d.persistent();
        } else {
            throw new LabSurprise("virsh list " + args);
        }
        StringBuilder out = new StringBuilder();
        domains.values().stream().filter(listed).forEach(d -> out.append(d.uuid).append('\n'));
        return Exec.ok(out.append('\n').toString());
    }

    private Exec domuuid(List<String> args) {
        if (args.size() != 1) {
            throw new LabSurprise("virsh domuuid " + args);
        }
        return domains.values().stream().filter(d -> d.name.equals(args.get(0))).findFirst()
                .map(d -> Exec.ok(d.uuid + "\n\n")).orElseGet(() -> notFound(args.get(0)));
    }

    private Exec dumpxml(List<String> args) {
        if (args.size() == 3 && args.subList(0, 2).equals(List.of("--inactive", "--security-info"))) {
            // A transient domain has no persistent XML, so libvirt prints the one it runs with.
            return withDomain(args.subList(2, 3), 1, d -> Exec.ok(d.persistent() ? d.inactive : d.live));
        }
        return withDomain(args, 1, d -> Exec.ok(withoutSecrets(d.running() ? d.live : d.inactive)));
    }

    /** Without --security-info virsh leaves out the graphics password, which is why capture must ask for it. */
    private static String withoutSecrets(String xml) {
        return xml.replaceAll(" passwd='[^']*'", "");
    }

    private Exec agentCommand(List<String> args) {
        if (args.size() != 4 || !GuestAgent.knows(args.get(1)) || !args.subList(2, 4).equals(List.of("--timeout", "5"))) {
            throw new LabSurprise("virsh qemu-agent-command " + args);
        }
        return withDomain(args.subList(0, 1), 1, d -> {
            if (!d.running()) {
                return Exec.fail(1, "error: Requested operation is not valid: domain is not running\n");
            }
            return d.agentConnected ? Exec.ok(GuestAgent.answer(args.get(1), d.agentVersion) + "\n\n")
                    : Exec.fail(1, "error: Guest agent is not responding: QEMU guest agent is not connected\n");
        });
    }

    private Exec printVersion() {
        return Exec.ok("Compiled against library: libvirt " + version + "\nUsing library: libvirt " + version
                + "\nUsing API: QEMU " + version + "\nRunning hypervisor: QEMU 7.2.0\nRunning against daemon: "
                + version + "\n\n");
    }

    private Exec define(String stdin) {
        LibvirtXml.Element root;
        try {
            root = LibvirtXml.parse(stdin);
        } catch (XMLStreamException e) {
            return Exec.fail(1, "error: Failed to define domain from /dev/stdin\nerror: XML error: " + e.getMessage() + "\n");
        }
        if (!root.name.equals("domain") || root.attributes.get("type") == null) {
            throw new LabSurprise("define of something that is not a domain: " + root.name);
        }
        String uuid = root.childText("uuid");
        LabDomain domain = domains.get(uuid);
        LabDomain sameName = domains.values().stream().filter(d -> d.name.equals(root.childText("name"))).findFirst().orElse(null);
        if (sameName != null && sameName != domain) {
            return Exec.fail(1, "error: Failed to define domain from /dev/stdin\nerror: operation failed: domain '" + sameName.name
                    + "' already exists with uuid " + sameName.uuid + "\n");
        }
        if (domain != null && !domain.name.equals(root.childText("name"))) {
            throw new LabSurprise("define renames domain " + domain.name);
        }
        if (domain == null) {
            // As libvirt does: an unknown UUID defines a new domain, shut off, whatever host it may run on elsewhere.
            domain = new LabDomain(uuid, root.childText("name"), LibvirtXml.format(root), false, false);
            domains.put(uuid, domain);
        }
        String duplicate = DefineRules.duplicateTarget(root.child("devices"));
        if (duplicate != null) {
            return Exec.fail(1, "error: Failed to define domain from /dev/stdin\nerror: XML error: target '" + duplicate
                    + "' duplicated for disk sources\n");
        }
        DefineRules.assignAddresses(root.child("devices"));
        domain.inactive = LibvirtXml.format(root);
        return Exec.ok("Domain '" + domain.name + "' defined from /dev/stdin\n\n");
    }

    private Exec withDomain(List<String> args, int count, java.util.function.Function<LabDomain, Exec> then) {
        if (args.size() != count || !UUID.matcher(args.get(0)).matches()) {
            throw new LabSurprise("a domain must be addressed by its UUID alone, got " + args);
        }
        LabDomain domain = domains.get(args.get(0));
        return domain == null ? notFound(args.get(0)) : then.apply(domain);
    }

    private static Exec surprise(String what) {
        throw new LabSurprise(what);
    }

    static Exec notFound(String ref) {
        return Exec.fail(1, "error: failed to get domain '" + ref + "'\n");
    }

    static LibvirtXml.Element parseOrFail(String xml) {
        try {
            return LibvirtXml.parse(xml);
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException("lab domain XML is malformed: " + e.getMessage(), e);
        }
    }

    LabDomain domain(String uuid) {
        return java.util.Optional.ofNullable(domains.get(uuid)).orElseThrow(() -> new IllegalArgumentException("no lab domain " + uuid));
    }

    /** The UUID of the domain with this name, as {@code virsh domuuid} prints it. */
    public synchronized String uuidOf(String name) {
        return domains.values().stream().filter(d -> d.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no lab domain " + name)).uuid;
    }

    public synchronized List<String> uuids() {
        return new ArrayList<>(domains.keySet());
    }

    /** The persistent XML with secrets; null for a transient domain, which has none. */
    public synchronized String inactiveXml(String uuid) {
        return domain(uuid).inactive;
    }

    /** The XML the running domain was started with; null while it is shut off. */
    public synchronized String liveXml(String uuid) {
        return domain(uuid).live;
    }

    /** Shutdown and start, the only way a defined change reaches a running domain; a denied start throws and leaves it off. */
    public synchronized void coldStart(String uuid) {
        String error = restart(uuid);
        if (error != null) {
            throw new IllegalStateException(error);
        }
    }

    /** {@code virsh shutdown} and {@code virsh start}, as an operator runs them: answers virsh's error, or null. */
    public synchronized String restart(String uuid) {
        LabDomain domain = domain(uuid);
        if (!domain.persistent()) {
            throw new IllegalStateException("transient lab domain " + uuid + " would end at shutdown, with nothing to start");
        }
        if (domain.running()) {
            qemu.logs.stopped(domain.name, "shutdown", Instant.now());
        }
        return qemu.start(domain, Long.MAX_VALUE, Instant.now());
    }

    /** QEMU may no longer open this block device, as when its SELinux label or AppArmor profile does not allow it. */
    public synchronized void denyOpen(String path) {
        qemu.deny(path);
    }

    /** A line written into the domain's QEMU log, as QEMU or a tool of the host's own writes one. */
    public synchronized void logLine(String uuid, String line) {
        qemu.logs.append(domain(uuid).name, line);
    }

    /** The persistent domains that run: libvirt-guests starts them again at boot. */
    synchronized List<String> runningUuids() {
        return domains.values().stream().filter(d -> d.running() && d.persistent()).map(d -> d.uuid).toList();
    }

    /** Every guest stops; a transient domain ends with its QEMU process and is gone, as after a real reboot. */
    synchronized void stopAll() {
        domains.values().removeIf(d -> !d.persistent());
        domains.values().stream().filter(LabDomain::running).forEach(d -> {
            qemu.logs.stopped(d.name, "shutdown", Instant.now());
            d.reason = "shutdown";
            d.live = null;
        });
    }

    /** Starts a guest from its persistent XML at boot (see {@link Qemu#start}); answers virsh's error, or null. */
    synchronized String startAtBoot(String uuid, long freeHugeKib) {
        return qemu.start(domain(uuid), freeHugeKib, Instant.now());
    }

    /**
     * A domain started with {@code virsh create} by someone else (a CI job, another orchestrator, a migration
     * that is not yet persistent): running, with a live XML only. Answers its UUID.
     */
    public synchronized String startTransient(String xml) {
        LibvirtXml.Element root = parseOrFail(xml);
        LabDomain domain = new LabDomain(root.childText("uuid"), root.childText("name"), null, false, false);
        domain.live = LibvirtXml.format(root);
        domains.put(domain.uuid, domain);
        return domain.uuid;
    }

    public synchronized boolean persistent(String uuid) {
        return domain(uuid).persistent();
    }

    /** The domain leaves this host, as after {@code virsh migrate --undefinesource} or an undefine elsewhere. */
    public synchronized void migrateAway(String uuid) {
        domains.remove(domain(uuid).uuid);
    }

    /** {@code virsh undefine} of a running domain: it runs on, transient, until it stops. */
    public synchronized void undefineWhileRunning(String uuid) {
        domain(uuid).inactive = null;
    }

    /** An edit of the persistent XML made outside Ballast, as {@code virsh edit} makes it. */
    public synchronized void editByHand(String uuid, java.util.function.UnaryOperator<String> edit) {
        LabDomain domain = domain(uuid);
        domain.inactive = edit.apply(domain.inactive);
    }

    public synchronized void agentConnected(String uuid, boolean connected) {
        domain(uuid).agentConnected = connected;
    }

    /** The guest's qemu-guest-agent is replaced by one of this version, as an upgrade inside the guest does. */
    public synchronized void agentVersion(String uuid, String version) {
        domain(uuid).agentVersion = version;
    }
}
