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

    /** One NVMe controller: where it sits on the bus, how hot it runs and how its link trained. */
    static final class Nvme {
        final String name;
        final String rootPort;
        final String address;
        volatile int kelvin;
        final String capSpeed;
        final int capWidth;
        final int staWidth;

        Nvme(String name, String rootPort, String address, int kelvin, String capSpeed, int capWidth, int staWidth) {
            this.name = name;
            this.rootPort = rootPort;
            this.address = address;
            this.kelvin = kelvin;
            this.capSpeed = capSpeed;
            this.capWidth = capWidth;
            this.staWidth = staWidth;
        }

        /** libsensors' chip name: bus and devfn of the address, in hex. */
        String sensorsChip() {
            int bus = Integer.parseInt(address.substring(5, 7), 16);
            int device = Integer.parseInt(address.substring(8, 10), 16);
            return String.format("nvme-pci-%04x", (bus << 8) + (device << 3) + (address.charAt(11) - '0'));
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
}
