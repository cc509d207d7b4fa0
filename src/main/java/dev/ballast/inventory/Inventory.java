package dev.ballast.inventory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jboss.logging.Logger;

import dev.ballast.audit.AuditLog;
import dev.ballast.identity.Identities;
import dev.ballast.identity.IdentityName;
import dev.ballast.jdbc.Jdbc;
import dev.ballast.problem.ConflictException;
import dev.ballast.problem.FieldError;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.remote.PinnedHostKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

/**
 * The host inventory: hosts read, created, changed, deleted and imported, each write audited in its own
 * transaction. Host keys that connections meet are {@link HostKeyTrust}'s.
 */
@ApplicationScoped
public class Inventory {

    private static final Logger LOG = Logger.getLogger(Inventory.class);

    private final EntityManager em;
    private final Jdbc jdbc;
    private final ObjectMapper json;
    private final Identities identities;
    private final AuditLog audit;

    Inventory(EntityManager em, Jdbc jdbc, ObjectMapper json, Identities identities, AuditLog audit) {
        this.em = em;
        this.jdbc = jdbc;
        this.json = json;
        this.identities = identities;
        this.audit = audit;
    }

    /** A page of hosts, ordered by name. */
    public record Page(List<HostView> items, int page, int size, long total) {
    }

    public HostView get(HostName name) {
        return Host.named(name).view();
    }

    /** The selector's SQL picks the page's ids; the hosts load as entities, so {@link Host#view} stays the one mapping. */
    public Page list(Selector selector, int page, int size) {
        List<Object> params = new ArrayList<>(selector.sqlParameters());
        long total = jdbc.count("select count(*) from host where " + selector.toSql(), params.toArray());
        params.add(size);
        params.add((long) page * size);
        List<Long> ids = jdbc.list("select id from host where " + selector.toSql() + " order by name limit ? offset ?",
                r -> r.getLong(1), params.toArray());
        Map<Long, Host> hosts = ids.isEmpty() ? Map.of()
                : Host.<Host>list("id in ?1", ids).stream().collect(Collectors.toMap(h -> h.id, Function.identity()));
        // A host deleted between the two reads is left out, as if the page had been read a moment later.
        return new Page(ids.stream().map(hosts::get).filter(Objects::nonNull).map(Host::view).toList(), page, size, total);
    }

    @Transactional
    public HostView create(HostSpec spec) {
        if (Host.count("name", spec.name().value()) > 0) {
            throw new ConflictException("a host named '" + spec.name() + "' already exists");
        }
        requireIdentity(spec.identity());
        Host host = new Host();
        host.name = spec.name().value();
        write(host, spec);
        host.persist();
        em.flush();
        em.refresh(host);
        audit.record("host.create", "host/" + host.name, null, host.view());
        return host.view();
    }

    @Transactional
    public HostView replace(HostName name, HostSpec spec) {
        if (!name.equals(spec.name())) {
            throw InvalidInputException.of("name", "'" + spec.name() + "' differs from the host in the path, '" + name
                    + "'; hosts cannot be renamed");
        }
        Host host = Host.named(name);
        requireIdentity(spec.identity());
        HostView before = host.view();
        write(host, spec);
        em.flush();
        audit.record("host.update", "host/" + host.name, before, host.view());
        return host.view();
    }

    /** Sets or ends a host's maintenance (rollouts and sweeps leave it out); an operator's switch, so nothing else changes. */
    @Transactional
    public HostView setMaintenance(HostName name, boolean maintenance) {
        Host host = Host.named(name);
        HostView before = host.view();
        if (host.maintenance == maintenance) {
            return before;
        }
        host.maintenance = maintenance;
        host.updatedAt = Instant.now();
        em.flush();
        audit.record("host.maintenance", "host/" + host.name, before, host.view());
        return host.view();
    }

    /**
     * Deletes a host that was never in a rollout. One that was is refused: its tasks, results and
     * rollback points refer to it, and that history stays.
     */
    @Transactional
    public void delete(HostName name) {
        Host host = Host.named(name);
        // Locked first, so a rollout choosing the host meanwhile has either committed its tasks, which the
        // check below then sees, or waits for the delete and fails on host_task's foreign key (a 409, see RolloutCreation).
        em.lock(host, LockModeType.PESSIMISTIC_WRITE);
        List<Long> rollouts = jdbc.list("select distinct rollout_id from host_task where host_id = ? order by 1 limit 4",
                r -> r.getLong(1), host.id);
        if (!rollouts.isEmpty()) {
            String listed = rollouts.stream().limit(3).map(id -> "rollout " + id).collect(Collectors.joining(", "))
                    + (rollouts.size() > 3 ? " and more" : "");
            throw new ConflictException("host '" + name + "' cannot be deleted: it was in " + listed + ", whose results "
                    + "and rollback points refer to it. Set it in maintenance (or label it, say retired, and select !retired) "
                    + "to keep rollouts away from it");
        }
        audit.record("host.delete", "host/" + host.name, host.view(), null);
        host.delete();
    }

    /** Reads an inventory document in the given format (or detects it) and imports it as {@link #importHosts}. */
    public ImportReport importDocument(InventoryFormat format, String text, boolean dryRun) {
        InventoryFormat.Parsed parsed = InventoryFormat.read(format, text);
        ImportReport report = importHosts(parsed.format().id(), parsed.hosts(), dryRun, parsed.notes());
        for (ImportReport.Warning warning : report.warnings()) {
            // The operator must not miss it; the warning names variables and hosts, never a value.
            LOG.warnf("Inventory import%s: %s (%s, line %d); hosts: %s", dryRun ? " (dry run)" : "", warning.message(),
                    warning.field(), warning.line(), abbreviated(warning.hosts()));
        }
        return report;
    }

    private static String abbreviated(List<String> hosts) {
        return hosts.size() <= 5 ? String.join(", ", hosts)
                : String.join(", ", hosts.subList(0, 5)) + " and " + (hosts.size() - 5) + " more";
    }

    /**
     * Upserts a whole inventory file by name in one transaction: every host is created, updated or left
     * unchanged, or, on any error, none is. Fields the file does not carry keep their stored values.
     */
    @Transactional
    ImportReport importHosts(String format, List<ImportedHost> hosts, boolean dryRun, ImportNotes notes) {
        requireIdentities(hosts);
        Map<String, Host> existing = existingByName(hosts);
        List<ImportReport.Change> changes = new ArrayList<>(hosts.size());
        for (ImportedHost imported : hosts) {
            Host host = existing.get(imported.name().value());
            if (host == null) {
                changes.add(new ImportReport.Change(imported.name().value(), ImportReport.Action.CREATED,
                        notes.ignoredBy(imported.name().value())));
                if (!dryRun) {
                    Host created = new Host();
                    created.name = imported.name().value();
                    write(created, imported.over(null));
                    created.persist();
                }
                continue;
            }
            HostSpec stored = spec(host);
            HostSpec merged = imported.over(stored);
            HostView before = host.view();
            if (stored.equals(merged)) {
                changes.add(new ImportReport.Change(host.name, ImportReport.Action.UNCHANGED, notes.ignoredBy(host.name)));
                continue;
            }
            changes.add(new ImportReport.Change(host.name, ImportReport.Action.UPDATED, notes.ignoredBy(host.name)));
            if (!dryRun) {
                write(host, merged);
                audit.record("host.update", "host/" + host.name, before, host.view());
            }
        }
        ImportReport report = ImportReport.of(format, dryRun, changes, notes);
        if (!dryRun) {
            // Writes the updates now, so a host changed meanwhile fails here as a conflict, not later at commit.
            em.flush();
            audit.record("inventory.import", "inventory", null, report.summary());
        }
        return report;
    }

    /** A host as a rollout chooses it: its row id, name, labels and whether it may be worked on now. */
    public record HostRef(long id, String name, Map<String, String> labels, boolean maintenance, boolean quarantined) {

        /** Why the host must be left out, or null when it may be worked on. */
        public String skipReason() {
            return maintenance ? "in maintenance" : quarantined ? "quarantined: its host key changed" : null;
        }
    }

    /** Every host the selector matches, ordered by name. */
    public List<HostRef> select(Selector selector) {
        return jdbc.list("select id, name, cast(labels as text), maintenance, quarantined_host_key is not null from host where "
                + selector.toSql() + " order by name", r -> new HostRef(r.getLong(1), r.getString(2), labels(r.getString(3)),
                        r.getBoolean(4), r.getBoolean(5)), selector.sqlParameters().toArray());
    }

    private Map<String, String> labels(String text) {
        try {
            return json.readValue(text, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a host's stored labels cannot be read", e);
        }
    }

    /** What a connection to a host needs from the inventory. */
    public record HostTarget(HostName name, String address, int port, String user, PinnedHostKey pinned,
            boolean trustOnFirstUse, IdentityName identity, boolean maintenance, HostView.Quarantine quarantine) {
    }

    public HostTarget target(HostName name) {
        Host host = Host.named(name);
        HostSpec spec = spec(host);
        return new HostTarget(spec.name(), spec.address().value(), spec.port().value(), spec.user().value(),
                spec.hostKey(), spec.trustOnFirstUse(), spec.identity() == null ? IdentityName.DEFAULT : spec.identity(),
                spec.maintenance(), host.view().quarantine());
    }

    private Map<String, Host> existingByName(List<ImportedHost> hosts) {
        List<String> names = hosts.stream().map(h -> h.name().value()).toList();
        Map<String, Host> byName = new HashMap<>();
        // Bounded IN lists keep the statement and its parameters small for inventories of thousands.
        for (int from = 0; from < names.size(); from += 1000) {
            List<String> chunk = names.subList(from, Math.min(names.size(), from + 1000));
            Host.<Host>list("name in ?1", chunk).forEach(h -> byName.put(h.name, h));
        }
        return byName;
    }

    static HostSpec spec(Host host) {
        return new HostSpec(new HostName(host.name), new HostAddress(host.address), new SshPort(host.sshPort),
                new SshUser(host.sshUser), new Labels(host.labels),
                host.hostKey == null ? null : PinnedHostKey.parse("hostKey", host.hostKey), host.trustOnFirstUse,
                host.identity == null ? null : new IdentityName(host.identity), host.maintenance, host.notes);
    }

    private static void write(Host host, HostSpec spec) {
        host.address = spec.address().value();
        host.sshPort = spec.port().value();
        host.sshUser = spec.user().value();
        host.labels = new HashMap<>(spec.labels().values());
        String pinned = spec.hostKey() == null ? null : spec.hostKey().toString();
        if (!java.util.Objects.equals(pinned, host.hostKey)) {
            // An admin pinning a key by hand settles a quarantine as accepting the presented key would.
            host.quarantinedHostKey = null;
            host.quarantinedAt = null;
        }
        host.hostKey = pinned;
        host.trustOnFirstUse = spec.trustOnFirstUse();
        host.identity = spec.identity() == null ? null : spec.identity().value();
        host.maintenance = spec.maintenance();
        host.notes = spec.notes();
        host.updatedAt = Instant.now();
    }

    private void requireIdentity(IdentityName identity) {
        if (identity != null && !identities.exists(identity)) {
            throw InvalidInputException.of("identity", "no SSH identity named '" + identity + "'");
        }
    }

    /** An identity nobody created is named where the file gives it: once for a default every host shares. */
    private void requireIdentities(List<ImportedHost> hosts) {
        Map<IdentityName, Boolean> known = new HashMap<>();
        Map<String, FieldError> unknown = new LinkedHashMap<>();
        for (ImportedHost host : hosts) {
            if (host.identity() != null && !known.computeIfAbsent(host.identity(), identities::exists)) {
                unknown.putIfAbsent(host.identityGiven().field(), host.identityGiven().error("no SSH identity named '" + host.identity() + "'"));
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidInputException(List.copyOf(unknown.values()));
        }
    }
}
