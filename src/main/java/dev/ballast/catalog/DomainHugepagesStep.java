package dev.ballast.catalog;

import java.util.List;
import java.util.Optional;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * Backs a domain's memory with huge pages ({@code <memoryBacking><hugepages/></memoryBacking>}), using
 * the host's default huge page size. The host must hold enough free pages for the guest's memory when
 * the domain next starts, or QEMU fails with "Cannot allocate memory": the step refuses, before any
 * domain changes, unless the free huge pages cover the memory of every guest it switches (reserve them
 * first with the hugepages step).
 */
final class DomainHugepagesStep extends DomainXmlStep<DomainHugepagesStep.Params> {

    record Params(DomainRef domain) implements DomainXmlStep.Target {
    }

    @Override
    public String id() {
        return "domain-hugepages";
    }

    @Override
    public String description() {
        return "Back a domain's memory with huge pages (reserve enough with the hugepages step first); libvirt applies it "
                + "at the domain's next cold start";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(domainParameter());
    }

    @Override
    protected Params parse(Parameters params) {
        return new Params(params.required("domain", DomainRef::new));
    }

    @Override
    protected void guardHost(RemoteShell shell, List<Document> changing, Params p) throws RemoteFailure, StepRefusal {
        if (changing.isEmpty()) {
            return;
        }
        Meminfo memory = Meminfo.read(shell);
        long needed = 0;
        for (Document domain : changing) {
            needed += (DomainXml.memoryKib(domain) + memory.hugePageKib() - 1) / memory.hugePageKib();
        }
        if (needed > memory.hugePagesFree()) {
            throw new StepRefusal(StepRefusal.Kind.UNSAFE, "the " + changing.size() + " guests it would switch to huge pages need "
                    + needed + " pages of " + memory.hugePageKib() + " kB, and " + memory.hugePagesFree() + " are free: "
                    + (needed - memory.hugePagesFree()) + " pages short, so they would not start again; reserve them first "
                    + "with the hugepages step");
        }
        if (memory.hugePageKib() == HugepagesStep.PageSize.SIZE_2M.kib) {
            checkNextBoot(shell, memory, needed, changing.size());
        }
    }

    /**
     * Pages free now are not pages after a reboot: ones reserved with {@code sysctl -w} alone are gone then,
     * and the guests, started from this XML by libvirt-guests, would fail with "Cannot allocate memory".
     */
    private static void checkNextBoot(RemoteShell shell, Meminfo memory, long needed, int guests) throws RemoteFailure, StepRefusal {
        Optional<HugepagesAtBoot.Setting> boot = HugepagesAtBoot.winner(HugepagesAtBoot.read(shell));
        long atBoot = boot.map(HugepagesAtBoot.Setting::value).orElse(0L);
        long inUse = memory.hugePagesTotal() - memory.hugePagesFree();
        if (needed + inUse > atBoot) {
            throw new StepRefusal(StepRefusal.Kind.UNSAFE, "the next boot reserves " + atBoot + " pages of 2048 kB ("
                    + boot.map(HugepagesAtBoot.Setting::describe).orElse("nothing on the kernel command line or in sysctl sets "
                            + "vm.nr_hugepages") + "), and the " + guests + " guests it would switch need "
                    + needed + " beyond the " + inUse + " in use: they would not start after a reboot; persist the pages "
                    + "with the hugepages step first");
        }
    }

    @Override
    protected List<Change> edit(Element domain, Params p) {
        Element backing = DomainXml.child(domain, "memoryBacking");
        if (backing != null && DomainXml.child(backing, "hugepages") != null) {
            return List.of();
        }
        String found = backing == null ? "no memoryBacking" : "memoryBacking without hugepages";
        if (backing == null) {
            backing = DomainXml.create(domain.getOwnerDocument(), "memoryBacking");
            domain.insertBefore(backing, DomainXml.child(domain, "vcpu"));
        }
        backing.appendChild(DomainXml.create(domain.getOwnerDocument(), "hugepages"));
        return List.of(new Change("memoryBacking", "hugepages", found));
    }
}
