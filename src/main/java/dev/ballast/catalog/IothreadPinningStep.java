package dev.ballast.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.w3c.dom.Element;

import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * Gives a domain's disks an I/O thread of their own on dedicated host CPUs: QEMU then runs their I/O off the
 * emulator's main loop, where other work no longer delays it. Persistently, by one define: I/O thread N in
 * {@code <iothreads>}/{@code <iothreadids>}, {@code <cputune><iothreadpin iothread='N'>}, and {@code <driver
 * iothread='N'/>} on every virtio disk and virtio-scsi controller. Live on running domains: {@code virsh iothreadadd}
 * and {@code iothreadpin --live}; a running disk cannot change its I/O thread, so the binding waits for the
 * domain's next cold start (the step's effect, as for every domain XML step) and verify reports those domains as
 * pending restart, while it checks the thread and its pin live.
 */
final class IothreadPinningStep extends PinningStep<IothreadPinningStep.Params> {

    record Params(DomainRef domain, CpuSet cpuset, Pinning.IothreadId iothread) implements PinningStep.Target {
    }

    @Override
    public String id() {
        return "iothread-pinning";
    }

    @Override
    public String description() {
        return "Give a domain's virtio disks an I/O thread pinned to dedicated host CPUs: the thread and its pin live "
                + "(virsh iothreadadd / iothreadpin --live) and in the persistent XML; the disks' binding to it takes effect "
                + "at the domain's next cold start";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(domainParameter(), cpusetParameter("the I/O thread"),
                ParameterSpec.optional("iothread", "integer", "the I/O thread's id (1-99); created where the domain lacks it",
                        "1", "[1-9][0-9]?"));
    }

    @Override
    protected Params parse(Parameters params) {
        return new Params(params.required("domain", DomainRef::new), params.required("cpuset", CpuSet::parse),
                params.optional("iothread", "1", Pinning.IothreadId::parse));
    }

    @Override
    protected String pinned(Params p) {
        return "I/O thread " + p.iothread().value();
    }

    /** {@code 1:0-3 2:4}, the domain's I/O threads and their affinities, or {@code none}. */
    @Override
    protected String live(RemoteShell shell, DomainRef.Uuid uuid, Params p) throws RemoteFailure {
        Map<Integer, CpuSet> threads = Pinning.iothreads(shell, uuid);
        return threads.isEmpty() ? "none" : threads.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    @Override
    protected boolean liveCompliant(String live, Params p) {
        return p.cpuset().toString().equals(threads(live).get(p.iothread().value()));
    }

    @Override
    protected String liveWanted(Params p) {
        return p.iothread().value() + ":" + p.cpuset();
    }

    @Override
    protected void pinLive(RemoteShell shell, DomainRef.Uuid uuid, String live, Params p) throws RemoteFailure {
        if (!threads(live).containsKey(p.iothread().value())) {
            Pinning.addIothread(shell, uuid, p.iothread());
        }
        Pinning.pinIothread(shell, uuid, p.iothread(), p.cpuset());
    }

    /**
     * Puts back the old pin, or removes the thread the apply added. A thread that disks already use (the domain was
     * cold-started since) cannot be removed while it runs: it stays until the next cold start, which the restored
     * persistent XML no longer gives it.
     */
    @Override
    protected void restoreLive(RemoteShell shell, DomainRef.Uuid uuid, String captured, String now, Params p) throws RemoteFailure {
        String before = threads(captured).get(p.iothread().value());
        if (before != null) {
            Pinning.pinIothread(shell, uuid, p.iothread(), CpuSet.ofHost(before));
        } else if (threads(now).containsKey(p.iothread().value())
                && !Iothreads.inUse(DomainXml.parse(Domains.liveXml(shell, uuid)).getDocumentElement(), p.iothread().value())) {
            Pinning.deleteIothread(shell, uuid, p.iothread());
        }
    }

    @Override
    protected List<Change> edit(Element domain, Params p) {
        List<Change> changes = new ArrayList<>();
        int id = p.iothread().value();
        String found = Iothreads.ensure(domain, id);
        if (found != null) {
            changes.add(new Change("iothreads", "I/O thread " + id, found));
        }
        Element cputune = DomainXml.child(domain, "cputune");
        Element pin = cputune == null ? null : DomainXml.children(cputune, "iothreadpin").stream()
                .filter(e -> e.getAttribute("iothread").equals(Integer.toString(id))).findFirst().orElse(null);
        if (pin == null || !sameCpus(pin.getAttribute("cpuset"), p.cpuset())) {
            changes.add(new Change("iothreadpin " + id, p.cpuset().toString(), pin == null ? "none" : pin.getAttribute("cpuset")));
            if (pin == null) {
                pin = DomainXml.create(domain.getOwnerDocument(), "iothreadpin");
                pin.setAttribute("iothread", Integer.toString(id));
                insertPin(cputune(domain), pin);
            }
            pin.setAttribute("cpuset", p.cpuset().toString());
        }
        changes.addAll(Iothreads.bind(domain, id));
        return changes;
    }

    private static Map<Integer, String> threads(String live) {
        Map<Integer, String> threads = new TreeMap<>();
        if (!live.equals("none")) {
            for (String thread : live.split(" ")) {
                String[] parts = thread.split(":");
                threads.put(Integer.parseInt(parts[0]), parts[1]);
            }
        }
        return threads;
    }
}
