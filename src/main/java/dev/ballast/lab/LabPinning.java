package dev.ballast.lab;

import java.util.BitSet;
import java.util.List;
import java.util.Set;

import javax.xml.stream.XMLStreamException;

/**
 * virsh's CPU pinning commands on a lab host, as libvirt 9 answers them. Without a flag a query reads the XML the
 * domain runs with (the persistent one while it is shut off); {@code --live} changes only the running domain's
 * live XML, which a cold start replaces with the persistent one. A domain never pinned may run anywhere online.
 * CPU lists go through virsh's own check (a CPU past the host's count fails before libvirtd is asked), then the
 * kernel's: an affinity with no online CPU is refused with EINVAL, as sched_setaffinity does.
 */
final class LabPinning {

    private static final Set<String> COMMANDS = Set.of("emulatorpin");

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
            Libvirt.Domain domain = libvirt.domain(rest.get(0));
            if (rest.size() == 1) {
                return emulatorInfo(domain, cpus);
            }
            if (rest.size() == 3 && rest.get(2).equals("--live")) {
                return pinEmulator(domain, cpus, rest.get(1));
            }
            throw new LabSurprise("virsh " + args);
        }
    }

    private static Exec emulatorInfo(Libvirt.Domain domain, LabCpus cpus) {
        LibvirtXml.Element pin = child(cputune(parse(domain.running() ? domain.live : domain.inactive)), "emulatorpin");
        String affinity = pin == null ? LabCpus.format(cpus.online()) : pin.attributes.get("cpuset");
        return Exec.ok("emulator: CPU Affinity\n----------------------------------\n       *: " + affinity + "\n\n");
    }

    private static Exec pinEmulator(Libvirt.Domain domain, LabCpus cpus, String list) {
        BitSet wanted = LabCpus.parse(list);
        if (wanted == null || wanted.isEmpty()) {
            return Exec.fail(1, "error: Invalid cpulist '" + list + "'\n");
        }
        if (wanted.length() > cpus.count) {
            return Exec.fail(1, "error: CPU " + (wanted.length() - 1) + " in cpulist '" + list + "' exceed the maxcpu " + cpus.count + "\n");
        }
        if (!domain.running()) {
            return Exec.fail(1, "error: Requested operation is not valid: domain is not running\n");
        }
        if (!wanted.intersects(cpus.online())) {
            return Exec.fail(1, "error: cannot set CPU affinity on process " + pid(domain) + ": Invalid argument\n");
        }
        LibvirtXml.Element root = parse(domain.live);
        LibvirtXml.Element cputune = cputune(root);
        if (cputune == null) {
            cputune = new LibvirtXml.Element("cputune");
            int after = 0;
            for (int i = 0; i < root.children.size(); i++) {
                after = Set.of("vcpu", "iothreads", "iothreadids").contains(root.children.get(i).name) ? i + 1 : after;
            }
            root.children.add(after, cputune);
        }
        LibvirtXml.Element pin = child(cputune, "emulatorpin");
        if (pin == null) {
            pin = new LibvirtXml.Element("emulatorpin");
            int at = 0;
            for (int i = 0; i < cputune.children.size(); i++) {
                at = cputune.children.get(i).name.equals("vcpupin") ? i + 1 : at;
            }
            cputune.children.add(at, pin);
        }
        pin.attributes.put("cpuset", LabCpus.format(wanted));
        domain.live = LibvirtXml.format(root);
        return Exec.ok("\n");
    }

    /** The QEMU process id libvirt names in errors: fixed per domain, from its UUID, so both labs print the same. */
    static int pid(Libvirt.Domain domain) {
        return 1000 + Integer.parseInt(domain.uuid.substring(domain.uuid.length() - 4), 16);
    }

    private static LibvirtXml.Element cputune(LibvirtXml.Element root) {
        return root.child("cputune");
    }

    private static LibvirtXml.Element child(LibvirtXml.Element parent, String name) {
        return parent == null ? null : parent.child(name);
    }

    private static LibvirtXml.Element parse(String xml) {
        try {
            return LibvirtXml.parse(xml);
        } catch (XMLStreamException e) {
            throw new IllegalStateException("a lab domain holds XML libvirt would not have taken", e);
        }
    }
}
