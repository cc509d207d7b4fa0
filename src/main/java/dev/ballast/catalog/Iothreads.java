package dev.ballast.catalog;

import java.util.ArrayList;
import java.util.List;

import org.w3c.dom.Element;

/**
 * The I/O threads of a domain's XML and the devices bound to them. Without {@code <iothreadids>} libvirt numbers
 * a domain's {@code <iothreads>N</iothreads>} threads 1..N; with it, the listed ids. Only virtio disks and
 * virtio-scsi controllers can run their I/O in an I/O thread ({@code <driver iothread='N'/>}).
 */
final class Iothreads {

    private Iothreads() {
    }

    /** Makes sure the domain has I/O thread {@code id}; answers what it had instead, or null when it had it. */
    static String ensure(Element domain, int id) {
        Element count = DomainXml.child(domain, "iothreads");
        Element ids = DomainXml.child(domain, "iothreadids");
        int threads = count == null ? 0 : number(count.getTextContent());
        if (ids != null) {
            List<Element> listed = DomainXml.children(ids, "iothread");
            if (listed.stream().anyMatch(t -> t.getAttribute("id").equals(Integer.toString(id)))) {
                return null;
            }
            Element thread = DomainXml.create(domain.getOwnerDocument(), "iothread");
            thread.setAttribute("id", Integer.toString(id));
            ids.appendChild(thread);
            setCount(domain, count, Math.max(threads, listed.size() + 1));
            return "ids " + String.join(",", listed.stream().map(t -> t.getAttribute("id")).toList());
        }
        if (threads >= id) {
            return null;
        }
        setCount(domain, count, id);
        return threads == 0 ? "none" : "ids 1-" + threads;
    }

    /** Binds every virtio disk and virtio-scsi controller to I/O thread {@code id}; answers what changed. */
    static List<DomainXmlStep.Change> bind(Element domain, int id) {
        List<DomainXmlStep.Change> changes = new ArrayList<>();
        for (Element device : devices(domain)) {
            Element driver = DomainXml.child(device, "driver");
            if (driver == null || !driver.getAttribute("iothread").equals(Integer.toString(id))) {
                String what = device.getLocalName().equals("disk") ? "disk " + DomainXml.shown(DomainXml.child(device, "target"), "dev")
                        : "controller scsi " + DomainXml.shown(device, "index");
                changes.add(new DomainXmlStep.Change(what + " iothread", Integer.toString(id), DomainXml.shown(driver, "iothread")));
                if (driver == null) {
                    driver = DomainXml.create(domain.getOwnerDocument(), "driver");
                    if (device.getLocalName().equals("disk")) {
                        driver.setAttribute("name", "qemu");
                    }
                    List<Element> children = DomainXml.children(device, null);
                    device.insertBefore(driver, children.isEmpty() ? null : children.get(0));
                }
                driver.setAttribute("iothread", Integer.toString(id));
            }
        }
        return changes;
    }

    /** Whether a device of the domain runs its I/O in I/O thread {@code id}, which then cannot be removed live. */
    static boolean inUse(Element domain, int id) {
        return devices(domain).stream().map(d -> DomainXml.child(d, "driver"))
                .anyMatch(driver -> driver != null && driver.getAttribute("iothread").equals(Integer.toString(id)));
    }

    private static List<Element> devices(Element domain) {
        Element devices = DomainXml.child(domain, "devices");
        List<Element> found = new ArrayList<>();
        for (Element device : devices == null ? List.<Element>of() : DomainXml.children(devices, null)) {
            Element target = DomainXml.child(device, "target");
            boolean virtioDisk = device.getLocalName().equals("disk") && target != null && target.getAttribute("bus").equals("virtio")
                    && (!device.hasAttribute("device") || device.getAttribute("device").equals("disk"));
            boolean virtioScsi = device.getLocalName().equals("controller") && device.getAttribute("type").equals("scsi")
                    && device.getAttribute("model").equals("virtio-scsi");
            if (virtioDisk || virtioScsi) {
                found.add(device);
            }
        }
        return found;
    }

    private static void setCount(Element domain, Element count, int threads) {
        Element element = count;
        if (element == null) {
            element = DomainXml.create(domain.getOwnerDocument(), "iothreads");
            Element after = null;
            for (Element child : DomainXml.children(domain, null)) {
                if (child.getLocalName().equals("vcpu") || child.getLocalName().equals("vcpus")) {
                    after = child;
                }
            }
            domain.insertBefore(element, after == null ? null : after.getNextSibling());
        }
        element.setTextContent(Integer.toString(threads));
    }

    private static int number(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
