package dev.ballast.catalog;

import java.util.List;

import org.w3c.dom.Element;

import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * Pins a domain's QEMU emulator threads (its main loop, and the disk I/O of disks without an I/O thread) to
 * dedicated host CPUs, the manual's answer to I/O wait on busy hosts: other guests' vCPUs no longer preempt the
 * storage path. Running domains are pinned live ({@code virsh emulatorpin UUID CPUSET --live}) and every
 * addressed domain persistently ({@code <cputune><emulatorpin cpuset=.../>}, by one define), so the pin acts at
 * once and survives the domain's restart and the host's reboot.
 */
final class EmulatorPinningStep extends PinningStep<EmulatorPinningStep.Params> {

    record Params(DomainRef domain, CpuSet cpuset) implements PinningStep.Target {
    }

    @Override
    public String id() {
        return "emulator-pinning";
    }

    @Override
    public String description() {
        return "Pin a domain's emulator threads to dedicated host CPUs: live on running domains (virsh emulatorpin --live) "
                + "and in the persistent XML (<cputune><emulatorpin>); refuses CPUs that are not online, warns when the "
                + "cpuset overlaps any guest's vCPU pins";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(domainParameter(), cpusetParameter("the emulator threads"));
    }

    @Override
    protected Params parse(Parameters params) {
        return new Params(params.required("domain", DomainRef::new), params.required("cpuset", CpuSet::parse));
    }

    @Override
    public Effect effect() {
        return Effect.IMMEDIATE;
    }

    @Override
    protected String pinned(Params p) {
        return "the emulator threads";
    }

    @Override
    protected String live(RemoteShell shell, DomainRef.Uuid uuid, Params p) throws RemoteFailure {
        return Pinning.emulator(shell, uuid).toString();
    }

    @Override
    protected boolean liveCompliant(String live, Params p) {
        return live.equals(p.cpuset().toString());
    }

    @Override
    protected String liveWanted(Params p) {
        return p.cpuset().toString();
    }

    @Override
    protected void pinLive(RemoteShell shell, DomainRef.Uuid uuid, String live, Params p) throws RemoteFailure {
        Pinning.pinEmulator(shell, uuid, p.cpuset());
    }

    /** The emulator's affinity before, which for a domain never pinned is every online CPU: libvirt keeps it as a pin. */
    @Override
    protected void restoreLive(RemoteShell shell, DomainRef.Uuid uuid, String captured, String now, Params p) throws RemoteFailure {
        Pinning.pinEmulator(shell, uuid, CpuSet.ofHost(captured));
    }

    @Override
    protected List<Change> edit(Element domain, Params p) {
        Element cputune = DomainXml.child(domain, "cputune");
        Element pin = cputune == null ? null : DomainXml.child(cputune, "emulatorpin");
        String found = pin == null ? "none" : pin.getAttribute("cpuset");
        if (pin != null && sameCpus(found, p.cpuset())) {
            return List.of();
        }
        if (pin == null) {
            pin = DomainXml.create(domain.getOwnerDocument(), "emulatorpin");
            insertPin(cputune(domain), pin);
        }
        pin.setAttribute("cpuset", p.cpuset().toString());
        return List.of(new Change("emulatorpin", p.cpuset().toString(), found));
    }
}
