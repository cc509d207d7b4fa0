package dev.ballast.lab;

import java.util.List;

/**
 * The hardware a lab host starts with. Deterministic by index, with the variety a real fleet has:
 * most NVMe disks on mq-deadline (as the manual's sample), every fifth already on none.
 */
final class LabHosts {

    private static final long MEM_TOTAL_KIB = 256L * 1024 * 1024;

    private LabHosts() {
    }

    static LabHost typical(int index, int fleetSize) {
        String name = String.format(fleetSize >= 1000 ? "lab-%04d" : "lab-%03d", index);
        Faults faults = new Faults();
        HostState state = new HostState(faults, MEM_TOTAL_KIB);
        List<String> nvme = List.of("none", "mq-deadline", "kyber", "bfq");
        state.disks.add(new Disks.Disk("nvme0n1", nvme, index % 5 == 0 ? "none" : "mq-deadline",
                String.format("eui.0025385b%08x", index)));
        state.disks.add(new Disks.Disk("nvme1n1", nvme, "none", String.format("eui.0025385c%08x", index)));
        state.disks.add(new Disks.Disk("sda", List.of("mq-deadline", "kyber", "bfq", "none"), "mq-deadline",
                String.format("naa.5000c500%08x", index)));
        LvmLayout.typical(state, index);
        return new LabHost(name, state, faults);
    }
}
