package dev.ballast.catalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.w3c.dom.Element;

/**
 * Sets the host cache mode and I/O mode of every disk of a domain ({@code <driver cache= io=>}).
 * cache=none with io=native bypasses the host page cache, so a host crash cannot lose writes the guest
 * believes are on disk. libvirt refuses to change either on a running domain, so this waits for a cold start.
 */
final class DiskCacheStep extends DomainXmlStep<DiskCacheStep.Params> {

    enum Cache {
        NONE("none", true), DIRECTSYNC("directsync", true), WRITETHROUGH("writethrough", false),
        WRITEBACK("writeback", false), UNSAFE("unsafe", false);

        final String token;
        /** Whether QEMU opens the disk with O_DIRECT, which native AIO requires. */
        final boolean direct;

        Cache(String token, boolean direct) {
            this.token = token;
            this.direct = direct;
        }

        static Cache parse(String text) {
            return Arrays.stream(values()).filter(c -> c.token.equals(text)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("'" + Values.printable(String.valueOf(text))
                            + "' is not a cache mode: one of none, directsync, writethrough, writeback, unsafe"));
        }
    }

    enum Io {
        NATIVE("native"), THREADS("threads");

        final String token;

        Io(String token) {
            this.token = token;
        }

        static Io parse(String text) {
            return Arrays.stream(values()).filter(i -> i.token.equals(text)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("'" + Values.printable(String.valueOf(text))
                            + "' is not an I/O mode: native or threads"));
        }
    }

    record Params(DomainRef domain, Cache cache, Io io) implements DomainXmlStep.Target {
        String wanted() {
            return "cache=" + cache.token + " io=" + io.token;
        }
    }

    @Override
    public String id() {
        return "libvirt-disk-cache";
    }

    @Override
    public String description() {
        return "Set cache and io on every disk of a domain (default cache=none io=native); libvirt applies it at the "
                + "domain's next cold start";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(domainParameter(),
                ParameterSpec.choice("cache", "host cache mode; io=native needs none or directsync", "none",
                        Arrays.stream(Cache.values()).map(c -> c.token).toList()),
                ParameterSpec.choice("io", "I/O mode", "native", Arrays.stream(Io.values()).map(i -> i.token).toList()));
    }

    @Override
    protected Params parse(Parameters params) {
        DomainRef domain = params.required("domain", DomainRef::new);
        Cache cache = params.optional("cache", "none", Cache::parse);
        Io io = params.optional("io", "native", Io::parse);
        if (cache != null && io == Io.NATIVE && !cache.direct) {
            params.reject("cache", "'" + cache.token + "' cannot be used with io 'native', which needs O_DIRECT: "
                    + "use cache none or directsync, or io threads");
        }
        return new Params(domain, cache, io);
    }

    @Override
    protected List<Change> edit(Element domain, Params p) {
        List<Change> changes = new ArrayList<>();
        Element devices = DomainXml.child(domain, "devices");
        if (devices == null) {
            return changes;
        }
        for (Element disk : DomainXml.children(devices, "disk")) {
            if (!disk.getAttribute("device").equals("disk") && disk.hasAttribute("device")) {
                continue;
            }
            Element driver = driver(disk);
            String found = "cache=" + DomainXml.shown(driver, "cache") + " io=" + DomainXml.shown(driver, "io");
            if (!p.wanted().equals(found)) {
                changes.add(new Change("disk " + DomainXml.shown(DomainXml.child(disk, "target"), "dev"), p.wanted(), found));
                driver.setAttribute("cache", p.cache().token);
                driver.setAttribute("io", p.io().token);
            }
        }
        return changes;
    }

    /** The disk's driver element, added first in the disk with QEMU's name when it has none. */
    private static Element driver(Element disk) {
        Element driver = DomainXml.child(disk, "driver");
        if (driver == null) {
            driver = DomainXml.create(disk.getOwnerDocument(), "driver");
            driver.setAttribute("name", "qemu");
            List<Element> children = DomainXml.children(disk, null);
            disk.insertBefore(driver, children.isEmpty() ? null : children.get(0));
        }
        return driver;
    }
}
