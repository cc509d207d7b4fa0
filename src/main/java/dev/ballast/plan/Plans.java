package dev.ballast.plan;

import java.sql.Timestamp;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ballast.audit.AuditLog;
import dev.ballast.catalog.Catalog;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.problem.NotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Plans by name and version. Saving a document that differs from the latest version adds a version. */
@ApplicationScoped
public class Plans {

    private final EntityManager em;
    private final Catalog catalog;
    private final ObjectMapper json;
    private final AuditLog audit;

    Plans(EntityManager em, Catalog catalog, ObjectMapper json, AuditLog audit) {
        this.em = em;
        this.catalog = catalog;
        this.json = json;
        this.audit = audit;
    }

    /** Validates the document against the catalog without storing it. */
    public Plan validate(String source) {
        return PlanParser.parse(catalog, source);
    }

    /** What saving did: stored a new version, or found the document equal to the latest one. */
    public record Saved(StoredPlan plan, boolean created) {
    }

    /** Stores the document as the next version of its plan, unless it equals the latest one. */
    @Transactional
    public Saved save(String source, String actor) {
        Plan plan = validate(source);
        // Serialises versioning of one plan name across requests and instances.
        em.createNativeQuery("select pg_advisory_xact_lock(hashtext('plan:' || ?))").setParameter(1, plan.name())
                .getSingleResult();
        List<StoredPlan> latest = versions(plan.name(), 1);
        if (!latest.isEmpty() && latest.get(0).plan().equals(plan) && latest.get(0).source().equals(source)) {
            return new Saved(latest.get(0), false);
        }
        int version = latest.isEmpty() ? 1 : latest.get(0).version() + 1;
        em.createNativeQuery("insert into plan (name, version, document, source, created_by) values (?, ?, cast(? as jsonb), ?, ?)")
                .setParameter(1, plan.name()).setParameter(2, version).setParameter(3, write(plan))
                .setParameter(4, source).setParameter(5, actor).executeUpdate();
        StoredPlan stored = get(plan.name(), version);
        audit.record("plan.create", "plan/" + plan.name() + "/" + version, null, stored.plan());
        return new Saved(stored, true);
    }

    public StoredPlan latest(String name) {
        List<StoredPlan> latest = versions(InvalidInputException.forField("name", () -> PlanName.parse(name)), 1);
        if (latest.isEmpty()) {
            throw new NotFoundException("no plan named '" + name + "'");
        }
        return latest.get(0);
    }

    public StoredPlan get(String name, int version) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select name, version, cast(document as text), source, created_at, created_by "
                + "from plan where name = ? and version = ?").setParameter(1, name).setParameter(2, version).getResultList();
        if (rows.isEmpty()) {
            throw new NotFoundException("plan '" + name + "' has no version " + version);
        }
        return stored(rows.get(0));
    }

    /** The latest version of every plan, by name. */
    public List<StoredPlan> list() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select distinct on (name) name, version, cast(document as text), source, "
                + "created_at, created_by from plan order by name, version desc").getResultList();
        return rows.stream().map(this::stored).toList();
    }

    private List<StoredPlan> versions(String name, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select name, version, cast(document as text), source, created_at, created_by "
                + "from plan where name = ? order by version desc limit ?").setParameter(1, name).setParameter(2, limit)
                .getResultList();
        return rows.stream().map(this::stored).toList();
    }

    private StoredPlan stored(Object[] row) {
        return new StoredPlan((String) row[0], ((Number) row[1]).intValue(), read((String) row[2]), (String) row[3],
                row[4] instanceof Timestamp t ? t.toInstant() : (java.time.Instant) row[4], (String) row[5]);
    }

    String write(Plan plan) {
        try {
            return json.writeValueAsString(plan);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a plan cannot be written as JSON", e);
        }
    }

    Plan read(String document) {
        try {
            return json.readValue(document, Plan.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored plan cannot be read", e);
        }
    }
}
