package dev.ballast.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.w3c.dom.Element;

import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * What the two CPU-pinning steps share on top of {@link DomainXmlStep}: the persistent pins go into the XML by one
 * define (so the check that the XML has not changed since capture still guards it), and the pins of each running
 * domain are also changed live, captured as facts {@code live/<uuid>} and restored live on rollback. Refuses,
 * before anything changes, a cpuset that names a CPU the host does not have online (absent or offline: libvirt
 * would refuse it live, and a guest pinned there persistently would not start); warns, in the probed facts and
 * the verify note, when the cpuset shares a CPU with any guest's vCPU pins.
 */
abstract class PinningStep<P extends PinningStep.Target> extends DomainXmlStep<P> {

    static final String LIVE_PREFIX = "live/";
    static final String ONLINE = "host/cpus-online";
    static final String ISOLATED = "host/cpus-isolated";
    /** Present only when the cpuset overlaps vCPU pins: the warning, kept with every probe and shown by verify. */
    static final String WARNING = "warning";
    /** The children libvirt prints after the pins in {@code <cputune>}; a new pin goes before the first of them. */
    private static final Set<String> AFTER_PINS = Set.of("vcpusched", "iothreadsched", "emulatorsched", "cachetune", "memorytune");

    /** Parameters that pin something of the addressed domains to a cpuset. */
    interface Target extends DomainXmlStep.Target {
        CpuSet cpuset();
    }

    static ParameterSpec cpusetParameter(String what) {
        return ParameterSpec.required("cpuset", "cpuset", "host CPUs for " + what + ": CPU numbers and ranges such as 2, 2-3 "
                + "or 2,4-5; every CPU must be online on the host", CpuSet.PATTERN);
    }

    /** What the step pins, for messages ("the emulator threads"). */
    protected abstract String pinned(P p);

    /** The running domain's live pin state as one fact, in the form {@link #restoreLive} takes back. */
    protected abstract String live(RemoteShell shell, DomainRef.Uuid uuid, P p) throws RemoteFailure;

    protected abstract boolean liveCompliant(String live, P p);

    /** The wanted live state as drift shows it. */
    protected abstract String liveWanted(P p);

    protected abstract void pinLive(RemoteShell shell, DomainRef.Uuid uuid, String live, P p) throws RemoteFailure;

    protected abstract void restoreLive(RemoteShell shell, DomainRef.Uuid uuid, String captured, String now, P p)
            throws RemoteFailure;

    @Override
    public StepState probe(RemoteShell shell, P p) throws RemoteFailure, StepRefusal {
        Pinning.HostCpus cpus = Pinning.hostCpus(shell);
        CpuSet missing = p.cpuset().without(cpus.online());
        if (!missing.isEmpty()) {
            throw new StepRefusal(StepRefusal.Kind.NOT_APPLICABLE, "CPU " + missing + " of cpuset " + p.cpuset() + " is not online on"
                    + " this host (online: " + cpus.online() + "; absent or offline): libvirt refuses to pin to it, and a guest"
                    + " pinned there in its XML would not start");
        }
        StepState persistent = super.probe(shell, p);
        StepState.Builder state = StepState.builder();
        persistent.facts().forEach(state::put);
        for (DomainRef.Uuid uuid : domains(persistent)) {
            if (!Domains.shutOff(shell, uuid)) {
                state.put(LIVE_PREFIX + uuid.value(), live(shell, uuid, p));
            }
        }
        state.put(ONLINE, cpus.online().toString()).put(ISOLATED, cpus.isolated().toString());
        List<String> shared = Pinning.vcpuPins(shell).stream().filter(pin -> !pin.cpuset().and(p.cpuset()).isEmpty())
                .map(Pinning.VcpuPin::label).toList();
        if (!shared.isEmpty()) {
            state.put(WARNING, "cpuset " + p.cpuset() + " overlaps the vCPU pins of " + String.join(", ", shared) + ": those vCPUs"
                    + " and " + pinned(p) + " compete for the same CPU, which a dedicated core is meant to prevent");
        }
        return state.build();
    }

    @Override
    public List<Drift> drift(StepState current, P p) {
        List<Drift> drift = new ArrayList<>(super.drift(current, p));
        live(current).forEach((uuid, live) -> {
            if (!liveCompliant(live, p)) {
                drift.add(new Drift(LIVE_PREFIX + uuid + " " + pinned(p) + " (running now)", liveWanted(p), live));
            }
        });
        return drift;
    }

    /** Defines the edited XML first (refused if it changed since capture), then pins each running domain live. */
    @Override
    public void apply(RemoteShell shell, P p, StepState before) throws RemoteFailure, StepRefusal {
        super.apply(shell, p, before);
        for (Map.Entry<String, String> live : live(before).entrySet()) {
            if (!liveCompliant(live.getValue(), p)) {
                pinLive(shell, new DomainRef.Uuid(live.getKey()), live.getValue(), p);
            }
        }
    }

    @Override
    public Verification verify(RemoteShell shell, P p) throws RemoteFailure, StepRefusal {
        Verification seen = super.verify(shell, p);
        StepState now = seen.observed();
        CpuSet isolated = CpuSet.ofHost(now.get(ISOLATED));
        String placement = isolated.and(p.cpuset()).equals(p.cpuset()) ? "cpuset " + p.cpuset() + " is within the host's isolated"
                + " CPUs (" + isolated + ")" : "cpuset " + p.cpuset() + " is not within the host's isolated CPUs ("
                + (isolated.isEmpty() ? "none" : isolated) + "): host tasks may still be scheduled there";
        String warning = now.facts().containsKey(WARNING) ? "WARNING: " + now.get(WARNING) + "; " : "";
        return new Verification(now, seen.applied(), seen.inEffect(), seen.remaining(), seen.pendingRestart(),
                warning + seen.note() + "; " + placement, seen.domainLogs());
    }

    /** Defines the captured XML again, then puts back the live pins of the domains that still run. */
    @Override
    public void rollback(RemoteShell shell, P p, StepState captured) throws RemoteFailure, StepRefusal {
        super.rollback(shell, p, captured);
        for (Map.Entry<String, String> live : live(captured).entrySet()) {
            DomainRef.Uuid uuid = new DomainRef.Uuid(live.getKey());
            if (!Domains.shutOff(shell, uuid)) {
                String now = live(shell, uuid, p);
                if (!now.equals(live.getValue())) {
                    restoreLive(shell, uuid, live.getValue(), now, p);
                }
            }
        }
    }

    /** The domain's {@code <cputune>}, created where libvirt prints it (after the vCPU and I/O thread counts) if missing. */
    static Element cputune(Element domain) {
        Element cputune = DomainXml.child(domain, "cputune");
        if (cputune == null) {
            cputune = DomainXml.create(domain.getOwnerDocument(), "cputune");
            Element after = null;
            for (Element child : DomainXml.children(domain, null)) {
                if (Set.of("vcpu", "vcpus", "iothreads", "iothreadids").contains(child.getLocalName())) {
                    after = child;
                }
            }
            domain.insertBefore(cputune, after == null ? null : after.getNextSibling());
        }
        return cputune;
    }

    /** Puts a new pin into {@code <cputune>} after the pins libvirt prints before it. */
    static void insertPin(Element cputune, Element pin) {
        Element before = DomainXml.children(cputune, null).stream().filter(c -> AFTER_PINS.contains(c.getLocalName())
                || pin.getLocalName().equals("emulatorpin") && c.getLocalName().equals("iothreadpin")).findFirst().orElse(null);
        cputune.insertBefore(pin, before);
    }

    /** Whether a cpuset attribute of the XML names the same CPUs. */
    static boolean sameCpus(String attribute, CpuSet wanted) {
        try {
            return CpuSet.ofHost(attribute).equals(wanted);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static List<DomainRef.Uuid> domains(StepState state) {
        return state.facts().keySet().stream().filter(f -> f.startsWith(FACT_PREFIX))
                .map(f -> new DomainRef.Uuid(f.substring(FACT_PREFIX.length()))).toList();
    }

    private static Map<String, String> live(StepState state) {
        Map<String, String> live = new LinkedHashMap<>();
        state.facts().forEach((fact, value) -> {
            if (fact.startsWith(LIVE_PREFIX)) {
                live.put(fact.substring(LIVE_PREFIX.length()), value);
            }
        });
        return live;
    }
}
