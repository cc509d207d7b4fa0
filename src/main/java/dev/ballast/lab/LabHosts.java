package dev.ballast.lab;

import java.util.List;

/**
 * The hardware a lab host starts with. Deterministic by index, with the variety a real fleet has:
 * most NVMe disks on mq-deadline (as the manual's sample), every fifth already on none, every seventh
 * an old single-queue disk sdb, and on every host three stacked devices without a scheduler of their own.
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
        // Every seventh host keeps a disk behind an old single-queue driver: the legacy list format.
        if (index % 7 == 0) {
            state.disks.add(new Disks.Disk("sdb", List.of("noop", "deadline", "cfq"), "cfq",
                    String.format("naa.5000c501%08x", index)));
        }
        // Stacked devices on every host: a device-mapper volume, an md RAID and an NVMe multipath head.
        state.disks.add(Disks.Disk.stacked("dm-0", null));
        state.disks.add(Disks.Disk.stacked("md0", null));
        state.disks.add(Disks.Disk.stacked("nvme2n1", String.format("eui.0025385d%08x", index)));
        hardware(state.hardware, index);
        LabDomains.populate(state.libvirt, index, state.hardware.kernelRelease);
        kernelLog(state.kernelLog, index);
        cpus(state.cpus, index);
        LvmLayout.typical(state, index);
        return new LabHost(name, state, faults);
    }

    /**
     * One host in eight of each kind the preflight checks catch: 2 has no nvme-cli (10 also a sensors
     * label that breaks its JSON), 3 runs RHEL 9's 5.14, 4 has the IOMMU off in the kernel, 5 a hot
     * nvme0 (350 K = 77 °C), 6 nvme0 trained at x2, 7 no IOMMU hardware, 8 no vhost_net (the
     * validator exits 1). One in sixteen of the otherwise healthy kind 1, host 9, has nvme0 trained at
     * 8GT/s of its 16GT/s; on host 11 (one in sixteen) both controllers sit behind Intel VMD, in PCI
     * domain 10000. Odd hosts' fio prints a warning before its JSON.
     */
    /** One host in six has failing disks in its kernel log (hosts 5, 11...); one in twelve no journald (4, 16...). */
    private static void kernelLog(KernelLog log, int index) {
        if (index % 6 == 5) {
            log.add(KernelLog.FAILING_DISKS);
        }
        log.journald = index % 12 != 4;
    }

    /**
     * Even hosts have 8 CPUs, odd ones 16; on hosts 3, 8, 13... the last CPU is offline; on hosts 1, 4, 7... the
     * kernel isolates CPUs 2-3 (isolcpus=2-3), on even hosts vm-N-1 pins its vCPUs there (see {@link LabDomains}).
     */
    private static void cpus(LabCpus cpus, int index) {
        cpus.count = index % 2 == 0 ? 8 : 16;
        if (index % 5 == 3) {
            cpus.offline.set(cpus.count - 1);
        }
        if (index % 3 == 1) {
            cpus.isolated.set(2, 4);
        }
    }

    private static void hardware(Hardware hw, int index) {
        int kind = index % 8;
        hw.kernelRelease = kind == 3 ? "5.14.0-362.8.1.el9_3.x86_64" : "6.1.0-27-amd64";
        hw.iommu = kind == 4 ? Hardware.Iommu.DISABLED_IN_KERNEL
                : kind == 7 ? Hardware.Iommu.NO_HARDWARE : Hardware.Iommu.ENABLED;
        hw.vhostNet = kind != 0;
        hw.nvmeCli = kind != 2;
        hw.sensorsQuotedLabel = index % 16 == 10;
        hw.fioWarning = index % 2 == 1;
        Hardware.Link nvme0 = kind == 6 ? new Hardware.Link("16GT/s", 4, "16GT/s", 2)
                : index % 16 == 9 ? new Hardware.Link("16GT/s", 4, "8GT/s", 4) : Hardware.Link.full("16GT/s", 4);
        if (index % 16 == 11) {
            // VMD's own bus (e0) hangs below the VMD device in domain 0000; the drives' functions are in 10000.
            String vmd = "pci0000:00/0000:00:0e.0/pci10000:e0/";
            hw.add(new Hardware.Nvme("nvme0", vmd + "10000:e0:06.0", "10000:e1:00.0", 308 + index % 5, nvme0));
            hw.add(new Hardware.Nvme("nvme1", vmd + "10000:e0:1d.0", "10000:e2:00.0", 311 + index % 3,
                    Hardware.Link.full("16GT/s", 4)));
        } else {
            hw.add(new Hardware.Nvme("nvme0", "pci0000:00/0000:00:01.1", "0000:01:00.0", kind == 5 ? 350 : 308 + index % 5,
                    nvme0));
            hw.add(new Hardware.Nvme("nvme1", "pci0000:00/0000:00:01.2", "0000:02:00.0", 311 + index % 3,
                    Hardware.Link.full("16GT/s", 4)));
        }
        hw.fio.put("nvme0n1", new Hardware.FioFigures(kind == 6 ? 391_204.5 : 612_480.25 + index * 37.5, 204_800, 411_648));
        hw.fio.put("nvme1n1", new Hardware.FioFigures(598_016.75, 209_920, 419_840));
        hw.fio.put("sda", new Hardware.FioFigures(71_903.4, 1_777_664, 3_063_808));
    }
}
