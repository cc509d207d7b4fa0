package dev.ballast.lab;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a lab host's hardware and kernel are, as the preflight checks read them through uname,
 * virt-host-validate, nvme-cli, lm-sensors, lspci and fio. Pure state: {@link HardwareTools} and
 * {@link LabFio} render it the way those programs print.
 */
final class Hardware {

    /** How far virt-host-validate gets with the IOMMU. */
    enum Iommu {
        ENABLED,
        /** VT-d in firmware, but the kernel command line lacks intel_iommu=on. */
        DISABLED_IN_KERNEL,
        /** No DMAR table: the validator stops before it asks the kernel. */
        NO_HARDWARE
    }

    /**
     * How a controller's PCIe link trained: what it is capable of (LnkCap) and what it runs at (LnkSta).
     * Speeds as lspci prints them ({@code 16GT/s}).
     */
    record Link(String capSpeed, int capWidth, String speed, int width) {

        static Link full(String speed, int width) {
            return new Link(speed, width, speed, width);
        }
    }

    /**
     * One NVMe controller: where it sits on the bus, how hot it runs and how its link trained. {@code parent}
     * is the sysfs path of the bridge above it, under /sys/devices ({@code pci0000:00/0000:00:01.1}).
     */
    static final class Nvme {
        final String name;
        final String parent;
        final String address;
        volatile int kelvin;
        final Link link;

        Nvme(String name, String parent, String address, int kelvin, Link link) {
            this.name = name;
            this.parent = parent;
            this.address = address;
            this.kelvin = kelvin;
            this.link = link;
        }

        /**
         * libsensors' chip name: (domain << 16) + (bus << 8) + devfn, summed in a C int, so the bits of a
         * VMD domain (10000) shift out: 10000:e1:00.0 is nvme-pci-e100.
         */
        String sensorsChip() {
            String[] parts = address.split("[:.]");
            int domain = (int) Long.parseLong(parts[0], 16);
            int bus = Integer.parseInt(parts[1], 16);
            int device = Integer.parseInt(parts[2], 16);
            int function = Integer.parseInt(parts[3]);
            return String.format("nvme-pci-%04x", (domain << 16) + (bus << 8) + (device << 3) + function);
        }
    }

    /** What fio measures on one disk with the catalog's job: IOPS and completion-latency percentiles. */
    record FioFigures(double iops, long p50Ns, long p99Ns) {
    }

    volatile String kernelRelease = "6.1.0-27-amd64";
    volatile Iommu iommu = Iommu.ENABLED;
    /** Without vhost_net loaded virt-host-validate prints a FAIL line and exits 1. */
    volatile boolean vhostNet = true;
    volatile boolean nvmeCli = true;
    /** A sensors.conf label with a quote in it: sensors -j prints it unescaped, which is invalid JSON. */
    volatile boolean sensorsQuotedLabel;
    /** fio prints a warning line before its JSON on stdout. */
    volatile boolean fioWarning;
    final Map<String, Nvme> controllers = new LinkedHashMap<>();
    final Map<String, FioFigures> fio = new LinkedHashMap<>();

    void add(Nvme controller) {
        controllers.put(controller.name, controller);
    }

    Nvme controller(String name) {
        return controllers.get(name);
    }

    Nvme controllerAt(String address) {
        return controllers.values().stream().filter(c -> c.address.equals(address)).findFirst().orElse(null);
    }

    /** lspci prints every address with its domain once any device on the host is outside domain 0000. */
    boolean domainsBeyondZero() {
        return controllers.values().stream().anyMatch(c -> !c.address.startsWith("0000:"));
    }
}
