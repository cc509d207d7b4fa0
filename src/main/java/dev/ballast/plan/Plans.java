package dev.ballast.plan;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ballast.audit.AuditLog;
import dev.ballast.catalog.Catalog;
import dev.ballast.jdbc.Jdbc;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.problem.NotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Plans by name and version. Saving a document that differs from the latest version adds a version. */
@ApplicationScoped
public class Plans {

    private final Jdbc jdbc;
    private final Catalog catalog;
    private final ObjectMapper json;
    private final AuditLog audit;

    Plans(Jdbc jdbc, Catalog catalog, ObjectMapper json, AuditLog audit) {
        this.jdbc = jdbc;
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
        jdbc.one("select pg_advisory_xact_lock(hashtext('plan:' || ?))", r -> true, plan.name());
        List<StoredPlan> latest = versions(plan.name(), 1);
        if (!latest.isEmpty() && latest.get(0).plan().equals(plan) && latest.get(0).source().equals(source)) {
            return new Saved(latest.get(0), false);
        }
        int version = latest.isEmpty() ? 1 : latest.get(0).version() + 1;
        jdbc.update("insert into plan (name, version, document, source, created_by) values (?, ?, cast(? as jsonb), ?, ?)",
                plan.name(), version, write(plan), source, actor);
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
        return jdbc.one("select " + COLUMNS + " from plan where name = ? and version = ?", this::stored, name, version)
                .orElseThrow(() -> new NotFoundException("plan '" + name + "' has no version " + version));
    }

    /** The latest version of every plan, by name. */
    public List<StoredPlan> list() {
        return jdbc.list("select distinct on (name) " + COLUMNS + " from plan order by name, version desc", this::stored);
    }

    private List<StoredPlan> versions(String name, int limit) {
        return jdbc.list("select " + COLUMNS + " from plan where name = ? order by version desc limit ?", this::stored,
                name, limit);
    }

    private static final String COLUMNS = "name, version, cast(document as text), source, created_at, created_by";

    private StoredPlan stored(ResultSet r) throws SQLException {
        return new StoredPlan(r.getString(1), r.getInt(2), read(r.getString(3)), r.getString(4), r.getTimestamp(5).toInstant(),
                r.getString(6));
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
