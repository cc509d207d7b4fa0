package dev.ballast.catalog;

import java.util.regex.Pattern;

import dev.ballast.remote.RemoteArg;

/**
 * A PCI function by its full address ({@code 0000:01:00.0}: domain, bus, device, function), as sysfs
 * names it. Read from a host's own sysfs, and still validated before it goes back into a command.
 */
public record PciAddress(String address) implements RemoteArg {

    private static final Pattern ADDRESS = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");

    public PciAddress {
        Values.matching("PCI address", address, ADDRESS, "domain:bus:device.function in lower-case hex, such as 0000:01:00.0");
    }

    /** The address a sysfs device path ends with ({@code /sys/devices/pci0000:00/0000:00:01.1/0000:01:00.0}). */
    public static PciAddress ofDevicePath(String path) {
        String trimmed = path.strip();
        return new PciAddress(trimmed.substring(trimmed.lastIndexOf('/') + 1));
    }

    /**
     * How libsensors numbers a PCI chip ({@code nvme-pci-0100}): domain, bus, then device and function
     * packed as in the config-space address.
     */
    public String sensorsChip(String prefix) {
        int domain = Integer.parseInt(address.substring(0, 4), 16);
        int bus = Integer.parseInt(address.substring(5, 7), 16);
        int device = Integer.parseInt(address.substring(8, 10), 16);
        int function = address.charAt(11) - '0';
        return String.format("%s-pci-%04x", prefix, (domain << 16) + (bus << 8) + (device << 3) + function);
    }

    @Override
    public String arg() {
        return address;
    }
}
