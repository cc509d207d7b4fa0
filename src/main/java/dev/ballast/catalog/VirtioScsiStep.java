package dev.ballast.catalog;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * Moves a domain's virtio-blk disks onto one virtio-scsi controller: each {@code <target dev='vdX'
 * bus='virtio'/>} becomes {@code sdX} on bus scsi (the next free sd name when sdX is taken, since target
 * names are unique across buses), its PCI address goes (libvirt gives it a drive address), and a
 * virtio-scsi controller is added when there is none. The guest sees new device names, and a guest
 * without the driver (Windows without vioscsi) or that boots by /dev/vdX does not start again: the
 * step refuses, before any domain changes, every guest not known to boot from virtio-scsi (its guest
 * agent says Linux, or libosinfo metadata names a Linux OS), unless the plan accepts unknown guests.
 */
final class VirtioScsiStep extends DomainXmlStep<VirtioScsiStep.Params> {

    /** libosinfo ids of Linux distributions: their kernels carry virtio-scsi. */
    private static final Pattern LINUX_OS = Pattern.compile("http://(debian\\.org|ubuntu\\.com|redhat\\.com|centos\\.org"
            + "|fedoraproject\\.org|suse\\.com|opensuse\\.org|rockylinux\\.org|almalinux\\.org|archlinux\\.org)/.*");
    private static final String OSINFO = "{\"execute\":\"guest-get-osinfo\"}";

    record Params(DomainRef domain, boolean acceptUnknownGuests) implements DomainXmlStep.Target {
    }

    @Override
    public String id() {
        return "virtio-scsi";
    }

    @Override
    public String description() {
        return "Move a domain's virtio disks to a virtio-scsi controller. WARNING: the guest sees its disks renamed "
                + "vdX -> sdX (fstab and boot loader must use UUIDs or labels; Windows needs the vioscsi driver first)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(domainParameter(), ParameterSpec.choice("acceptUnknownGuests", "move the disks of guests not known to "
                + "boot from virtio-scsi too, after checking their fstab and boot loader (UUIDs or labels) and vioscsi on "
                + "Windows; the rollout's audit record says the plan accepted it", "false", List.of("false", "true")));
    }

    @Override
    protected Params parse(Parameters params) {
        return new Params(params.required("domain", DomainRef::new),
                params.optional("acceptUnknownGuests", "false", "true"::equals));
    }

    @Override
    protected void guardHost(RemoteShell shell, List<Document> changing, Params p) throws RemoteFailure, StepRefusal {
        if (p.acceptUnknownGuests()) {
            return;
        }
        List<String> unknown = new ArrayList<>();
        for (Document domain : changing) {
            String why = unknownGuest(shell, domain);
            if (why != null) {
                unknown.add(DomainXml.name(domain) + " (" + why + ")");
            }
        }
        if (!unknown.isEmpty()) {
            throw new StepRefusal(StepRefusal.Kind.UNSAFE, "the guest sees its disks renamed vdX -> sdX, and these guests are "
                    + "not known to boot from virtio-scsi: " + String.join(", ", unknown) + "; a guest agent that says Linux, or "
                    + "libosinfo metadata naming a Linux OS, shows it; or set acceptUnknownGuests: \"true\" after checking them");
        }
    }

    /** Why the guest is not known to boot from virtio-scsi; null when it is. */
    private static String unknownGuest(RemoteShell shell, Document domain) throws RemoteFailure {
        String os = DomainXml.libosinfoOs(domain);
        if (os != null) {
            return LINUX_OS.matcher(os).matches() ? null : "libosinfo names " + os + ", not a Linux OS";
        }
        DomainRef.Uuid uuid = new DomainRef.Uuid(DomainXml.uuid(domain));
        if (Domains.shutOff(shell, uuid)) {
            return "shut off, and no libosinfo metadata";
        }
        CommandResult answer = shell.run(Command.of("virsh", "qemu-agent-command").arg(uuid).literal(OSINFO, "--timeout", "5"));
        if (!answer.succeeded()) {
            return "no libosinfo metadata, and its guest agent did not answer";
        }
        return answer.stdout().replace(" ", "").contains("\"kernel-name\":\"Linux\"") ? null
                : "its guest agent reports a kernel other than Linux";
    }

    /** A SCSI controller of another model would take the moved disks at controller 0; Ballast does not mix them. */
    @Override
    protected void guard(Element domain, String label) throws StepRefusal {
        Element devices = DomainXml.child(domain, "devices");
        for (Element controller : devices == null ? List.<Element>of() : DomainXml.children(devices, "controller")) {
            if (controller.getAttribute("type").equals("scsi") && !isVirtioScsi(controller)) {
                throw new StepRefusal(StepRefusal.Kind.NOT_APPLICABLE, "domain " + label + " has a SCSI controller of model "
                        + DomainXml.shown(controller, "model") + "; move its disks by hand");
            }
        }
    }

    @Override
    protected List<Change> edit(Element domain, Params p) {
        List<Change> changes = new ArrayList<>();
        Element devices = DomainXml.child(domain, "devices");
        if (devices == null) {
            return changes;
        }
        Set<String> used = new HashSet<>();
        List<Element> disks = DomainXml.children(devices, "disk");
        disks.forEach(disk -> used.add(DomainXml.shown(DomainXml.child(disk, "target"), "dev")));
        boolean anyScsi = false;
        for (Element disk : disks) {
            Element target = DomainXml.child(disk, "target");
            if (target != null && target.getAttribute("bus").equals("virtio")) {
                String old = target.getAttribute("dev");
                String renamed = scsiName(old, used);
                used.add(renamed);
                target.setAttribute("dev", renamed);
                target.setAttribute("bus", "scsi");
                for (Element address : DomainXml.children(disk, "address")) {
                    if (address.getAttribute("type").equals("pci")) {
                        disk.removeChild(address);
                    }
                }
                changes.add(new Change("disk " + old, renamed + " on bus scsi", old + " on bus virtio"));
            }
            anyScsi |= target != null && target.getAttribute("bus").equals("scsi");
        }
        if (anyScsi && DomainXml.children(devices, "controller").stream().noneMatch(VirtioScsiStep::isVirtioScsi)) {
            Element controller = DomainXml.create(domain.getOwnerDocument(), "controller");
            controller.setAttribute("type", "scsi");
            controller.setAttribute("model", "virtio-scsi");
            devices.insertBefore(controller, disks.get(disks.size() - 1).getNextSibling());
            changes.add(new Change("controller", "virtio-scsi", "none"));
        }
        return changes;
    }

    private static boolean isVirtioScsi(Element controller) {
        return controller.getAttribute("type").equals("scsi") && controller.getAttribute("model").equals("virtio-scsi");
    }

    /** sdX for vdX when free, else the first free sd name (sda, sdb, ... sdz, sdaa, ...). */
    private static String scsiName(String virtioName, Set<String> used) {
        String same = virtioName.startsWith("vd") ? "sd" + virtioName.substring(2) : null;
        if (same != null && !used.contains(same)) {
            return same;
        }
        for (int i = 0;; i++) {
            String candidate = "sd" + letters(i);
            if (!used.contains(candidate)) {
                return candidate;
            }
        }
    }

    /** 0 -> a, 25 -> z, 26 -> aa: the kernel's disk-name suffixes. */
    private static String letters(int index) {
        StringBuilder out = new StringBuilder();
        for (int i = index; i >= 0; i = i / 26 - 1) {
            out.insert(0, (char) ('a' + i % 26));
        }
        return out.toString();
    }
}
