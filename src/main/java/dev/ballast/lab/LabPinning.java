package dev.ballast.lab;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.xml.stream.XMLStreamException;

/**
 * virsh's CPU pinning commands on a lab host, as libvirt 9 answers them. Without a flag a query reads the XML the
 * domain runs with (the persistent one while it is shut off); {@code --live} changes only the running domain's
 * live XML, which a cold start replaces with the persistent one. A thread never pinned may run anywhere online.
 * CPU lists go through virsh's own check (a CPU past the host's count fails before libvirtd is asked), then the
 * kernel's: an affinity with no online CPU is refused with EINVAL, as sched_setaffinity does.
 */
final class LabPinning {

    private static final Set<String> COMMANDS = Set.of("emulatorpin", "iothreadinfo", "iothreadadd", "iothreadpin", "iothreaddel");
    private static final String NOT_RUNNING = "error: Requested operation is not valid: domain is not running\n";

    private LabPinning() {
    }

    static boolean handles(List<String> args) {
        return !args.isEmpty() && COMMANDS.contains(args.get(0));
    }

    static Exec virsh(Libvirt libvirt, LabCpus cpus, List<String> args) {
        synchronized (libvirt) {
            List<String> rest = args.subList(1, args.size());
            if (rest.isEmpty() || !rest.get(0).matches("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}")) {
                throw new LabSurprise("a domain must be addressed by its UUID, got virsh " + args);
            }
            if (!libvirt.uuids().contains(rest.get(0))) {
                return Libvirt.notFound(rest.get(0));
            }
            LabDomain domain = libvirt.domain(rest.get(0));
            boolean live = rest.get(rest.size() - 1).equals("--live");
            String shape = args.get(0) + "/" + rest.size() + (live ? "/live" : "");
            return switch (shape) {
                case "emulatorpin/1" -> emulatorInfo(domain, cpus);
                case "emulatorpin/3/live" -> pin(domain, cpus, rest.get(1), "emulatorpin", null);
                case "iothreadinfo/1" -> iothreadInfo(domain, cpus);
                case "iothreadadd/3/live", "iothreaddel/3/live" -> changeIothreads(domain, args.get(0), rest.get(1));
                case "iothreadpin/4/live" -> pin(domain, cpus, rest.get(2), "iothreadpin", rest.get(1));
                default -> throw new LabSurprise("virsh " + args);
            };
        }
    }

    private static Exec emulatorInfo(LabDomain domain, LabCpus cpus) {
        LibvirtXml.Element cputune = parse(running(domain)).child("cputune");
        LibvirtXml.Element pin = cputune == null ? null : cputune.child("emulatorpin");
        String affinity = pin == null ? LabCpus.format(cpus.online()) : pin.attributes.get("cpuset");
        return Exec.ok("emulator: CPU Affinity\n----------------------------------\n       *: " + affinity + "\n\n");
    }

    /** virsh's table (vsh-table.c): columns as wide as their widest cell, each followed by three spaces of dashes. */
    private static Exec iothreadInfo(LabDomain domain, LabCpus cpus) {
        LibvirtXml.Element root = parse(running(domain));
        TreeSet<Integer> ids = ids(root);
        if (ids.isEmpty()) {
            return Exec.ok("No IOThreads found for the domain\n");
        }
        List<String[]> rows = new ArrayList<>();
        for (int id : ids) {
            LibvirtXml.Element pin = iothreadPin(root, Integer.toString(id));
            rows.add(new String[] {Integer.toString(id), pin == null ? LabCpus.format(cpus.online()) : pin.attributes.get("cpuset")});
        }
        int idWidth = Math.max("IOThread ID".length(), rows.stream().mapToInt(r -> r[0].length()).max().orElse(0));
        int cpuWidth = Math.max("CPU Affinity".length(), rows.stream().mapToInt(r -> r[1].length()).max().orElse(0));
        StringBuilder out = new StringBuilder(" IOThread ID" + " ".repeat(idWidth - 11 + 2) + " CPU Affinity\n");
        out.append("-".repeat(idWidth + 3 + cpuWidth + 3)).append('\n');
        rows.forEach(r -> out.append(' ').append(r[0]).append(" ".repeat(idWidth - r[0].length() + 2)).append(' ').append(r[1]).append('\n'));
        return Exec.ok(out.append('\n').toString());
    }

    private static Exec changeIothreads(LabDomain domain, String command, String idText) {
        if (!idText.matches("[1-9][0-9]{0,8}")) {
            throw new LabSurprise("virsh " + command + " " + idText);
        }
        if (!domain.running()) {
            return Exec.fail(1, NOT_RUNNING);
        }
        LibvirtXml.Element root = parse(domain.live);
        TreeSet<Integer> ids = ids(root);
        int id = Integer.parseInt(idText);
        if (command.equals("iothreadadd")) {
            if (!ids.add(id)) {
                return Exec.fail(1, "error: invalid argument: an IOThread is already using iothread_id '" + id + "'\n");
            }
        } else {
            if (!ids.remove(id)) {
                return Exec.fail(1, "error: invalid argument: cannot find IOThread '" + id + "' in iothreadids list\n");
            }
            String disk = diskUsing(root, idText);
            if (disk != null) {
                return Exec.fail(1, "error: invalid argument: cannot remove IOThread " + id + " since it is being used by disk '"
                        + disk + "'\n");
            }
            LibvirtXml.Element cputune = root.child("cputune");
            if (cputune != null) {
                cputune.children.remove(iothreadPin(root, idText));
            }
        }
        writeIds(root, ids);
        domain.live = LibvirtXml.format(root);
        return Exec.ok("\n");
    }

    /** {@code virsh emulatorpin UUID CPUS --live}, or {@code iothreadpin UUID ID CPUS --live} when {@code iothread} is given. */
    private static Exec pin(LabDomain domain, LabCpus cpus, String list, String element, String iothread) {
        BitSet wanted = LabCpus.parse(list);
        if (wanted == null || wanted.isEmpty()) {
            return Exec.fail(1, "error: Invalid cpulist '" + list + "'\n");
        }
        if (wanted.length() > cpus.count) {
            return Exec.fail(1, "error: CPU " + (wanted.length() - 1) + " in cpulist '" + list + "' exceed the maxcpu " + cpus.count + "\n");
        }
        if (!domain.running()) {
            return Exec.fail(1, NOT_RUNNING);
        }
        LibvirtXml.Element root = parse(domain.live);
        if (iothread != null && !ids(root).contains(Integer.parseInt(iothread))) {
            return Exec.fail(1, "error: invalid argument: iothread " + iothread + " not found\n");
        }
        if (!wanted.intersects(cpus.online())) {
            int thread = pid(domain) + (iothread == null ? 0 : Integer.parseInt(iothread));
            return Exec.fail(1, "error: cannot set CPU affinity on process " + thread + ": Invalid argument\n");
        }
        LibvirtXml.Element cputune = cputune(root);
        LibvirtXml.Element pin = iothread == null ? cputune.child("emulatorpin") : iothreadPin(root, iothread);
        if (pin == null) {
            pin = new LibvirtXml.Element(element);
            if (iothread != null) {
                pin.attributes.put("iothread", iothread);
            }
            // libvirt prints the vCPU pins, then the emulator's, then the I/O threads'.
            int at = 0;
            for (int i = 0; i < cputune.children.size(); i++) {
                String name = cputune.children.get(i).name;
                at = name.equals("vcpupin") || iothread != null && (name.equals("emulatorpin") || name.equals("iothreadpin")) ? i + 1 : at;
            }
            cputune.children.add(at, pin);
        }
        pin.attributes.put("cpuset", LabCpus.format(wanted));
        domain.live = LibvirtXml.format(root);
        return Exec.ok("\n");
    }

    /** The QEMU process id libvirt names in errors: fixed per domain, from its UUID, so both labs print the same. */
    private static int pid(LabDomain domain) {
        return 1000 + Integer.parseInt(domain.uuid.substring(domain.uuid.length() - 4), 16);
    }

    /** The I/O thread ids: those of {@code <iothreadids>}, else 1..{@code <iothreads>}. */
    private static TreeSet<Integer> ids(LibvirtXml.Element root) {
        TreeSet<Integer> ids = new TreeSet<>();
        LibvirtXml.Element listed = root.child("iothreadids");
        if (listed != null) {
            listed.all("iothread").forEach(t -> ids.add(Integer.parseInt(t.attributes.get("id"))));
        } else if (root.child("iothreads") != null) {
            for (int id = 1; id <= Integer.parseInt(root.childText("iothreads").strip()); id++) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** As libvirt prints threads added live: the count, then every id; nothing when none is left. */
    private static void writeIds(LibvirtXml.Element root, TreeSet<Integer> ids) {
        root.children.removeIf(c -> c.name.equals("iothreads") || c.name.equals("iothreadids"));
        if (ids.isEmpty()) {
            return;
        }
        LibvirtXml.Element count = new LibvirtXml.Element("iothreads");
        count.text = Integer.toString(ids.size());
        LibvirtXml.Element listed = new LibvirtXml.Element("iothreadids");
        ids.forEach(id -> {
            LibvirtXml.Element thread = new LibvirtXml.Element("iothread");
            thread.attributes.put("id", Integer.toString(id));
            listed.children.add(thread);
        });
        int after = indexAfter(root, Set.of("vcpu"));
        root.children.add(after, listed);
        root.children.add(after, count);
    }

    private static LibvirtXml.Element iothreadPin(LibvirtXml.Element root, String id) {
        LibvirtXml.Element cputune = root.child("cputune");
        return cputune == null ? null : cputune.all("iothreadpin").stream().filter(p -> id.equals(p.attributes.get("iothread")))
                .findFirst().orElse(null);
    }

    /** The target of the disk whose driver runs in I/O thread {@code id}, or null. */
    private static String diskUsing(LibvirtXml.Element root, String id) {
        LibvirtXml.Element devices = root.child("devices");
        return devices == null ? null : devices.all("disk").stream()
                .filter(d -> d.child("driver") != null && id.equals(d.child("driver").attributes.get("iothread")))
                .map(d -> d.child("target").attributes.get("dev")).findFirst().orElse(null);
    }

    private static LibvirtXml.Element cputune(LibvirtXml.Element root) {
        LibvirtXml.Element cputune = root.child("cputune");
        if (cputune == null) {
            cputune = new LibvirtXml.Element("cputune");
            root.children.add(indexAfter(root, Set.of("vcpu", "iothreads", "iothreadids")), cputune);
        }
        return cputune;
    }

    private static int indexAfter(LibvirtXml.Element root, Set<String> names) {
        int after = 0;
        for (int i = 0; i < root.children.size(); i++) {
            after = names.contains(root.children.get(i).name) ? i + 1 : after;
        }
        return after;
    }

    private static String running(LabDomain domain) {
        return domain.running() ? domain.live : domain.inactive;
    }

    private static LibvirtXml.Element parse(String xml) {
        try {
            return LibvirtXml.parse(xml);
        } catch (XMLStreamException e) {
            throw new IllegalStateException("a lab domain holds XML libvirt would not have taken", e);
        }
    }
}
