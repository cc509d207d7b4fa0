package dev.ballast.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ballast.jdbc.Jdbc;
import io.quarkus.arc.Arc;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Records every change: who, what, on which target, and the state before and after as JSON. Written in
 * the caller's transaction, so a change and its record commit or vanish together. Callers pass views
 * that hold no secrets.
 */
@ApplicationScoped
public class AuditLog {

    /** The actor of changes no request asked for: workers, the coordinator, startup. */
    public static final String BALLAST = "ballast";

    private final Jdbc jdbc;
    private final ObjectMapper json;

    AuditLog(Jdbc jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String action, String target, Object before, Object after) {
        recordAs(actor(), action, target, before, after);
    }

    /** For the one change whose actor is not yet the caller: a login. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordAs(String actor, String action, String target, Object before, Object after) {
        jdbc.update("insert into audit_event (actor, action, target, before, after) "
                + "values (?, ?, ?, cast(? as jsonb), cast(? as jsonb))", actor, action, target, toJson(before), toJson(after));
    }

    /**
     * Who is making the current change: the user or token of the request being served ("alice",
     * "token:deploy"), or {@link #BALLAST} on Ballast's own threads.
     */
    public String actor() {
        if (!Arc.container().requestContext().isActive()) {
            return BALLAST;
        }
        SecurityIdentity identity = Arc.container().instance(SecurityIdentity.class).get();
        return identity == null || identity.isAnonymous() ? BALLAST : identity.getPrincipal().getName();
    }

    /**
     * The audit records, newest first, as the filter narrows them: a target or action also takes what is
     * under it ({@code host} takes {@code host/lab-001}, {@code sweep} takes {@code sweep.update}).
     */
    public List<AuditEvent> list(AuditFilter filter, Long before, int limit) {
        StringBuilder sql = new StringBuilder("select id, at, actor, action, target, cast(before as text), cast(after as text) "
                + "from audit_event where true");
        List<Object> params = new ArrayList<>();
        if (filter.actor() != null) {
            sql.append(" and actor = ?");
            params.add(filter.actor());
        }
        under(sql, params, "action", filter.action(), ".");
        under(sql, params, "target", filter.target(), "/");
        if (filter.since() != null) {
            sql.append(" and at >= ?");
            params.add(java.sql.Timestamp.from(filter.since()));
        }
        if (filter.until() != null) {
            sql.append(" and at <= ?");
            params.add(java.sql.Timestamp.from(filter.until()));
        }
        if (before != null) {
            sql.append(" and id < ?");
            params.add(before);
        }
        sql.append(" order by id desc limit ?");
        params.add(limit);
        return jdbc.list(sql.toString(), r -> new AuditEvent(r.getLong(1), r.getTimestamp(2).toInstant(), r.getString(3),
                r.getString(4), r.getString(5), fromJson(r.getString(6)), fromJson(r.getString(7))), params.toArray());
    }

    /** {@code column} equal to {@code value}, or starting with it and the separator. */
    private static void under(StringBuilder sql, List<Object> params, String column, String value, String separator) {
        if (value != null) {
            sql.append(" and (").append(column).append(" = ? or ").append(column).append(" like ?)");
            params.add(value);
            params.add(value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + separator + "%");
        }
    }

    /** One change as the audit shows it. */
    public record AuditEvent(long id, Instant at, String actor, String action, String target, JsonNode before, JsonNode after) {
    }

    private JsonNode fromJson(String text) {
        try {
            return text == null ? null : json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit record holds invalid JSON", e);
        }
    }

    private String toJson(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit value did not serialise", e);
        }
    }
}
