package dev.ballast.catalog;

import java.util.regex.Pattern;

import dev.ballast.remote.RemoteArg;

/**
 * A PCI function by its full address ({@code 0000:01:00.0}: domain, bus, device, function), as sysfs
 * names it. Read from a host's own sysfs, and still validated before it goes back into a command. The
 * kernel prints the domain, a 32-bit number, with at least four digits: Intel VMD's start at 10000.
 */
public record PciAddress(String address) implements RemoteArg {

    private static final Pattern ADDRESS = Pattern.compile("[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");

    public PciAddress {
        Values.matching("PCI address", address, ADDRESS,
                "domain:bus:device.function in lower-case hex, such as 0000:01:00.0 or 10000:e1:00.0");
    }

    /** The address a sysfs device path ends with ({@code /sys/devices/pci0000:00/0000:00:01.1/0000:01:00.0}). */
    public static PciAddress ofDevicePath(String path) {
        String trimmed = path.strip();
        return new PciAddress(trimmed.substring(trimmed.lastIndexOf('/') + 1));
    }

    /**
     * How libsensors numbers a PCI chip ({@code nvme-pci-0100}): domain, bus, then device and function
     * packed as in the config-space address. It sums them in a C int, so the bits of a domain above ffff
     * shift out, as they do from a Java int: VMD's {@code 10000:e1:00.0} is {@code nvme-pci-e100}.
     */
    public String sensorsChip(String prefix) {
        String[] parts = address.split("[:.]");
        int domain = (int) Long.parseLong(parts[0], 16);
        int bus = Integer.parseInt(parts[1], 16);
        int device = Integer.parseInt(parts[2], 16);
        int function = Integer.parseInt(parts[3]);
        return String.format("%s-pci-%04x", prefix, (domain << 16) + (bus << 8) + (device << 3) + function);
    }

    @Override
    public String arg() {
        return address;
    }
}
