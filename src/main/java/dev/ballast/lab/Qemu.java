package dev.ballast.lab;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * QEMU as libvirt starts it on a lab host: each start is logged in the domain's log ({@link QemuLogs}), and a
 * guest QEMU cannot run fails to start with QEMU's own error, as on a real host.
 */
final class Qemu {

    final QemuLogs logs = new QemuLogs();
    /** Block devices QEMU is refused opening, as a MAC policy (SELinux label, AppArmor profile) refuses them. */
    private final Set<String> denied = new HashSet<>();
    /** The host's access control (AppArmor on some lab hosts), asked at each start; set by the host that holds it. */
    volatile Confinement confinement = (uuid, root) -> null;
    /** libvirt numbers the QEMU processes it starts. */
    private int nextId = 1;

    void deny(String path) {
        denied.add(path);
    }

    /**
     * Starts QEMU from the persistent XML, logging it; answers virsh's error when QEMU cannot run the guest (huge pages
     * the host does not hold free, a disk it may not open), leaving the domain shut off (failed), else null.
     */
    String start(LabDomain domain, long freeHugeKib, Instant at) {
        LibvirtXml.Element root = Libvirt.parseOrFail(domain.inactive);
        LibvirtXml.Element backing = root.child("memoryBacking");
        long kib = Long.parseLong(root.childText("memory").strip());
        List<String> blockdevs = logs.starting(domain.name, nextId++, domain.uuid, domain.inactive, at);
        String qemuError = null;
        if (backing != null && backing.child("hugepages") != null && kib > freeHugeKib) {
            qemuError = "os_mem_prealloc: Insufficient free host memory pages available to allocate guest RAM";
        }
        for (String blockdev : blockdevs) {
            String path = blockdev.replaceAll(".*\"filename\":\"([^\"]+)\".*", "$1");
            if (qemuError == null && denied.contains(path)) {
                qemuError = "-blockdev " + blockdev + ": Could not open '" + path + "': Permission denied";
            }
        }
        if (qemuError == null) {
            String refused = confinement.start(domain.uuid, root);
            if (refused != null) {
                // The log holds QEMU's own line, without virsh's wrapping of it.
                logs.failed(domain.name, refused.substring(refused.lastIndexOf('\n') + 1)
                        .replaceFirst("^error: (internal error: qemu unexpectedly closed the monitor: qemu-system-x86_64: )?", ""), at);
                domain.live = null;
                domain.reason = "failed";
                return refused;
            }
        }
        if (qemuError != null) {
            logs.failed(domain.name, qemuError, at);
            domain.live = null;
            domain.reason = "failed";
            return "error: Failed to start domain '" + domain.name + "'\nerror: internal error: qemu unexpectedly closed the monitor: "
                    + qemuError + (qemuError.startsWith("os_mem") ? ": Cannot allocate memory" : "");
        }
        domain.live = domain.inactive;
        domain.reason = "booted";
        return null;
    }
}
