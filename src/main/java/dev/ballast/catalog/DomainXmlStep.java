package dev.ballast.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * What the domain XML steps share (the pinning steps add a live side, see {@link PinningStep}): capture each addressed domain's persistent XML (the rollback
 * point, fact {@code domain/<uuid>}), refuse domains a cloud manager owns, leave transient domains alone
 * (a define would make them persistent), edit with the DOM, define,
 * and tell "applied" (the persistent XML) from "in effect" (what the running QEMU process was started
 * with). A step only says how it edits one domain; its edit doubles as the compliance test, since a
 * compliant domain is one the edit leaves unchanged.
 */
abstract class DomainXmlStep<P extends DomainXmlStep.Target> extends TuningStep<P> {

    static final String FACT_PREFIX = "domain/";
    /** Facts {@code skipped/<uuid>}: domains that {@code all} addressed and the step leaves alone, with why. */
    static final String SKIPPED_PREFIX = "skipped/";
    private static final String TRANSIENT = "transient: no persistent XML to edit, and defining one would make it persistent";

    /** Parameters that address domains. */
    interface Target {
        DomainRef domain();
    }

    /** One thing an edit changed, or would change, in a domain: what, the wanted value and the one found. */
    record Change(String what, String desired, String actual) {
    }

    static ParameterSpec domainParameter() {
        return ParameterSpec.required("domain", "domain", "a domain UUID, a domain name (resolved to its UUID once), or all",
                "all|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}|[A-Za-z][A-Za-z0-9._-]{0,63}");
    }

    /** Edits the domain toward what the step wants and lists what it changed; an empty list means compliant. */
    protected abstract List<Change> edit(Element domain, P params);

    /** A refusal of the step's own, judged on the captured XML before anything changes. */
    protected void guard(Element domain, String label) throws StepRefusal {
    }

    /** A refusal of the step's own, judged on the host and every domain the step would change, before any is. */
    protected void guardHost(RemoteShell shell, List<Document> changing, P params) throws RemoteFailure, StepRefusal {
    }

    /** Only a cold start brings an edit of the persistent XML into a running domain, unless a step also changes it live. */
    @Override
    public Effect effect() {
        return Effect.NEXT_DOMAIN_COLD_START;
    }

    @Override
    public final boolean survivesReboot() {
        return true;
    }

    @Override
    public StepState probe(RemoteShell shell, P p) throws RemoteFailure, StepRefusal {
        List<DomainRef.Uuid> uuids = Domains.resolve(shell, p.domain(), false);
        if (uuids.isEmpty()) {
            throw new StepRefusal(StepRefusal.Kind.NOT_APPLICABLE, p.domain().all() ? "the host defines no domains"
                    : "the host defines no domain named " + p.domain().text());
        }
        List<DomainRef.Uuid> transients = Domains.transientDomains(shell);
        StepState.Builder state = StepState.builder();
        boolean persistentOnes = false;
        for (DomainRef.Uuid uuid : uuids) {
            if (transients.contains(uuid)) {
                refuseNamedTransient(p.domain(), uuid);
                state.put(SKIPPED_PREFIX + uuid.value(), TRANSIENT);
                continue;
            }
            persistentOnes = true;
            String xml = Domains.inactiveXml(shell, uuid);
            if (xml == null) {
                throw new StepRefusal(StepRefusal.Kind.NOT_APPLICABLE, "the host defines no domain " + uuid.value());
            }
            checked(uuid, xml);
            state.put(FACT_PREFIX + uuid.value(), xml);
        }
        if (!persistentOnes) {
            throw new StepRefusal(StepRefusal.Kind.NOT_APPLICABLE, "every domain on the host is transient (no persistent XML)"
                    + " and Ballast does not make them persistent: " + String.join(", ", transients.stream().map(DomainRef.Uuid::value).toList()));
        }
        return state.build();
    }

    /**
     * Refuses a transient domain that was asked for by name or UUID. Editing it means defining it, which makes it
     * persistent: it would start again at host boot and outlive whoever created it, and no rollback undoes that.
     * UNSAFE rather than not applicable: the operator asked for this very domain and must hear it was not changed.
     */
    private static void refuseNamedTransient(DomainRef ref, DomainRef.Uuid uuid) throws StepRefusal {
        if (ref.all()) {
            return;
        }
        String label = ref.isUuid() ? uuid.value() : ref.text() + " (" + uuid.value() + ")";
        throw new StepRefusal(StepRefusal.Kind.UNSAFE, "domain " + label + " is transient (started with virsh create, or undefined"
                + " while it ran): it has no persistent XML and ends when it stops; changing it would mean defining it, which makes it persistent"
                + " (it would start again at host boot and outlive its owner) and cannot be rolled back. Change the XML its"
                + " owner passes to virsh create, or, if it is meant to stay, make it persistent with virsh define first");
    }

    @Override
    public List<Drift> drift(StepState current, P p) {
        List<Drift> drift = new ArrayList<>();
        for (Map.Entry<String, String> fact : domainFacts(current)) {
            Document document = DomainXml.parse(fact.getValue());
            String domain = fact.getKey() + " (" + DomainXml.name(document) + ")";
            for (Change change : edit(document.getDocumentElement(), p)) {
                drift.add(new Drift(domain + " " + change.what(), change.desired(), change.actual()));
            }
        }
        return drift;
    }

    /**
     * Edits the XML as it is now, after checking it is still the captured one: defining an edit of an
     * older text would silently undo whatever changed the domain since.
     */
    @Override
    public void apply(RemoteShell shell, P p, StepState before) throws RemoteFailure, StepRefusal {
        List<Document> changing = new ArrayList<>();
        for (Map.Entry<String, String> fact : domainFacts(before)) {
            DomainRef.Uuid uuid = uuidOf(fact.getKey());
            String now = Domains.inactiveXml(shell, uuid);
            if (now == null || !DomainXml.canonical(now).equals(DomainXml.canonical(fact.getValue()))) {
                throw new StepRefusal(StepRefusal.Kind.UNSAFE, "the XML of domain " + uuid.value()
                        + " changed since the rollback point was captured; probe again");
            }
            Document document = checked(uuid, now);
            if (!edit(document.getDocumentElement(), p).isEmpty()) {
                changing.add(document);
            }
        }
        guardHost(shell, changing, p);
        for (Document document : changing) {
            Domains.define(shell, DomainXml.serialize(document));
        }
    }

    @Override
    public Verification verify(RemoteShell shell, P p) throws RemoteFailure, StepRefusal {
        StepState now = probe(shell, p);
        List<Drift> remaining = drift(now, p);
        List<DomainRef.Uuid> troubled = new ArrayList<>();
        List<PendingRestart> pending = waiting(shell, p, now, troubled);
        boolean applied = remaining.isEmpty();
        String note;
        if (!applied) {
            note = "the persistent XML still differs: " + String.join("; ", remaining.stream().map(Drift::fact).toList());
        } else if (pending.isEmpty()) {
            note = "in the persistent XML of every domain, and no running domain still uses the old one";
        } else {
            note = "applied; " + PendingRestart.COLD_START_NOTE + ": " + String.join(", ", pending.stream().map(PendingRestart::label).toList())
                    + " still run the old XML";
        }
        List<String> skipped = now.facts().keySet().stream().filter(f -> f.startsWith(SKIPPED_PREFIX))
                .map(f -> f.substring(SKIPPED_PREFIX.length())).toList();
        if (!skipped.isEmpty()) {
            note += "; skipped transient domain" + (skipped.size() > 1 ? "s " : " ") + String.join(", ", skipped)
                    + ", which Ballast does not make persistent";
        }
        List<DomainLog> logs = troubled.isEmpty() ? List.of() : DomainLog.of(shell, troubled, true);
        if (!logs.isEmpty()) {
            note += "; should be running: " + String.join("; ", logs.stream().map(DomainLog::summary).toList());
        }
        return new Verification(now, applied, pending.isEmpty(), remaining, pending, note, logs);
    }

    /** The logs of the domains the step addresses, those in trouble first. */
    @Override
    public List<DomainLog> diagnose(RemoteShell shell, P p) throws RemoteFailure {
        return DomainLog.of(shell, Domains.resolve(shell, p.domain(), false), false);
    }

    /** The running domains of {@code current} whose live XML the step's edit would still change. */
    @Override
    public List<PendingRestart> pendingRestart(RemoteShell shell, P p, StepState current) throws RemoteFailure {
        return waiting(shell, p, current, new ArrayList<>());
    }

    /** {@link #pendingRestart}, adding to {@code troubled} the domains that crashed or failed to start, from the same domstate. */
    private List<PendingRestart> waiting(RemoteShell shell, P p, StepState current, List<DomainRef.Uuid> troubled)
            throws RemoteFailure {
        List<PendingRestart> pending = new ArrayList<>();
        for (Map.Entry<String, String> fact : domainFacts(current)) {
            DomainRef.Uuid uuid = uuidOf(fact.getKey());
            Domains.State state = Domains.state(shell, uuid);
            if (state.troubled()) {
                troubled.add(uuid);
            }
            if (!state.shutOff()) {
                Document live = DomainXml.parse(Domains.liveXml(shell, uuid));
                if (!edit(live.getDocumentElement(), p).isEmpty()) {
                    pending.add(new PendingRestart(uuid.value(), DomainXml.name(live)));
                }
            }
        }
        return pending;
    }

    /**
     * Refuses, before any domain is defined again, when defining the captured XML would do harm: the domain
     * is no longer defined here (undefined, or migrated to another host: defining it again could start one
     * guest on two hosts over shared storage), it was undefined while it ran and is transient now (defining it
     * would make it persistent again), or its persistent XML changed since Ballast applied (a restore would
     * silently undo those edits; the refusal shows them).
     */
    @Override
    protected void guardRollback(RemoteShell shell, P p, RestorePoint point) throws RemoteFailure, StepRefusal {
        List<String> reasons = new ArrayList<>();
        List<DomainRef.Uuid> transients = Domains.transientDomains(shell);
        for (Map.Entry<String, String> fact : domainFacts(point.captured())) {
            DomainRef.Uuid uuid = uuidOf(fact.getKey());
            String now = Domains.inactiveXml(shell, uuid);
            String label = DomainXml.name(DomainXml.parse(fact.getValue())) + " (" + uuid.value() + ")";
            if (transients.contains(uuid)) {
                reasons.add("domain " + label + " is transient now (undefined while it ran) since Ballast changed it: defining"
                        + " the captured XML would make it persistent again, to start at the next boot");
                continue;
            }
            if (now == null) {
                reasons.add("domain " + label + " is no longer defined on this host (undefined, or migrated away) since Ballast"
                        + " changed it: defining it again could run it on two hosts");
                continue;
            }
            String applied = point.applied() == null ? null : point.applied().facts().get(fact.getKey());
            String current = DomainXml.canonical(now);
            if (applied != null && !current.equals(DomainXml.canonical(applied)) && !current.equals(DomainXml.canonical(fact.getValue()))) {
                reasons.add("the persistent XML of domain " + label + " changed since Ballast applied; restoring would undo:\n"
                        + XmlDiff.of(applied, now));
            }
        }
        if (!reasons.isEmpty()) {
            throw new StepRefusal(StepRefusal.Kind.UNSAFE, String.join("; ", reasons) + " (roll back with force to restore anyway)");
        }
    }

    /** Defines each captured XML again where it differs now, then reads it back to prove it took. */
    @Override
    public void rollback(RemoteShell shell, P p, StepState captured) throws RemoteFailure, StepRefusal {
        for (Map.Entry<String, String> fact : domainFacts(captured)) {
            DomainRef.Uuid uuid = uuidOf(fact.getKey());
            String wanted = DomainXml.canonical(fact.getValue());
            String now = Domains.inactiveXml(shell, uuid);
            if (now != null && DomainXml.canonical(now).equals(wanted)) {
                continue;
            }
            Domains.define(shell, fact.getValue());
            String restored = Domains.inactiveXml(shell, uuid);
            if (restored == null || !DomainXml.canonical(restored).equals(wanted)) {
                throw new RemoteFailure(RemoteFailure.Kind.COMMAND_FAILED, "libvirt did not keep the captured XML of domain "
                        + uuid.value() + " when it was defined again", null);
            }
        }
    }

    /** Parses XML a host printed and refuses domains that nova or oVirt own: they regenerate it and would undo us. */
    private Document checked(DomainRef.Uuid uuid, String xml) throws RemoteFailure, StepRefusal {
        Document document;
        try {
            document = DomainXml.parse(xml);
        } catch (IllegalArgumentException e) {
            throw new RemoteFailure(RemoteFailure.Kind.COMMAND_FAILED, "virsh printed unusable XML for domain "
                    + uuid.value() + ": " + e.getMessage(), e);
        }
        String label = DomainXml.name(document) + " (" + uuid.value() + ")";
        String manager = DomainXml.manager(document);
        if (manager != null) {
            throw new StepRefusal(StepRefusal.Kind.UNSAFE, "domain " + label + " is managed by " + manager
                    + ", which regenerates its XML; change it through " + manager + " instead");
        }
        guard(document.getDocumentElement(), label);
        return document;
    }

    private static List<Map.Entry<String, String>> domainFacts(StepState state) {
        return state.facts().entrySet().stream().filter(e -> e.getKey().startsWith(FACT_PREFIX)).toList();
    }

    private static DomainRef.Uuid uuidOf(String fact) {
        return new DomainRef.Uuid(fact.substring(FACT_PREFIX.length()));
    }
}
