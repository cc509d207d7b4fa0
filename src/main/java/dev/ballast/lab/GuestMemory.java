package dev.ballast.lab;

import javax.xml.stream.XMLStreamException;

/** What a lab host's running guests hold of its memory: plain RAM, and huge pages of the default size. */
record GuestMemory(long regularKib, long hugeKib) {

    /** From each running domain's live XML: its memory, backed by huge pages or not. */
    static GuestMemory of(Libvirt libvirt) {
        long regular = 0;
        long huge = 0;
        for (String uuid : libvirt.uuids()) {
            String live = libvirt.liveXml(uuid);
            if (live != null) {
                LibvirtXml.Element domain = parse(live);
                LibvirtXml.Element memory = domain.child("memory");
                long kib = memory == null ? 0 : Long.parseLong(memory.text.strip());
                LibvirtXml.Element backing = domain.child("memoryBacking");
                if (backing != null && backing.child("hugepages") != null) {
                    huge += kib;
                } else {
                    regular += kib;
                }
            }
        }
        return new GuestMemory(regular, huge);
    }

    private static LibvirtXml.Element parse(String xml) {
        try {
            return LibvirtXml.parse(xml);
        } catch (XMLStreamException e) {
            throw new IllegalStateException("a lab domain holds XML libvirt would not have taken", e);
        }
    }
}
