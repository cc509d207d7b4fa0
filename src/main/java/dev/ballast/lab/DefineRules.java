package dev.ballast.lab;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** What libvirt checks and fills in when a domain is defined, as far as the catalog's edits meet it. */
final class DefineRules {

    private DefineRules() {
    }

    static String duplicateTarget(LibvirtXml.Element devices) {
        Set<String> seen = new HashSet<>();
        for (LibvirtXml.Element disk : devices.all("disk")) {
            String dev = disk.child("target").attributes.get("dev");
            if (!seen.add(dev)) {
                return dev;
            }
        }
        return null;
    }

    /**
     * What libvirt fills in on define: an index for a controller that has none, a PCI slot for it, and a
     * drive address for a SCSI disk. Steps must accept XML that grew these, and rollback must remove them.
     */
    static void assignAddresses(LibvirtXml.Element devices) {
        for (LibvirtXml.Element controller : devices.all("controller")) {
            if (!controller.attributes.containsKey("index")) {
                Map<String, String> ordered = new LinkedHashMap<>();
                ordered.put("type", controller.attributes.remove("type"));
                ordered.put("index", "0");
                ordered.putAll(controller.attributes);
                controller.attributes.clear();
                controller.attributes.putAll(ordered);
            }
            if (controller.child("address") == null && "virtio-scsi".equals(controller.attributes.get("model"))) {
                controller.children.add(address("type", "pci", "domain", "0x0000", "bus", "0x00", "slot",
                        String.format("0x%02x", freeSlot(devices)), "function", "0x0"));
            }
        }
        int unit = 0;
        for (LibvirtXml.Element disk : devices.all("disk")) {
            if ("scsi".equals(disk.child("target").attributes.get("bus")) && disk.child("address") == null) {
                disk.children.add(address("type", "drive", "controller", "0", "bus", "0", "target", "0", "unit",
                        Integer.toString(unit)));
            }
            if ("scsi".equals(disk.child("target").attributes.get("bus"))) {
                unit++;
            }
        }
    }

    private static int freeSlot(LibvirtXml.Element devices) {
        Set<String> used = new HashSet<>();
        collectSlots(devices, used);
        int slot = 1;
        while (used.contains(String.format("0x%02x", slot))) {
            slot++;
        }
        return slot;
    }

    private static void collectSlots(LibvirtXml.Element element, Set<String> used) {
        if (element.name.equals("address") && "pci".equals(element.attributes.get("type"))) {
            used.add(element.attributes.get("slot"));
        }
        element.children.forEach(child -> collectSlots(child, used));
    }

    private static LibvirtXml.Element address(String... pairs) {
        LibvirtXml.Element address = new LibvirtXml.Element("address");
        for (int i = 0; i < pairs.length; i += 2) {
            address.attributes.put(pairs[i], pairs[i + 1]);
        }
        return address;
    }
}
