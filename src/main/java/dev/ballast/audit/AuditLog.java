package dev.ballast.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;

import io.quarkus.arc.Arc;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
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

    private final EntityManager em;
    private final ObjectMapper json;

    AuditLog(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String action, String target, Object before, Object after) {
        recordAs(actor(), action, target, before, after);
    }

    /** For the one change whose actor is not yet the caller: a login. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordAs(String actor, String action, String target, Object before, Object after) {
        em.createNativeQuery("insert into audit_event (actor, action, target, before, after) "
                + "values (?, ?, ?, cast(? as jsonb), cast(? as jsonb))")
                .setParameter(1, actor)
                .setParameter(2, action)
                .setParameter(3, target)
                .setParameter(4, toJson(before))
                .setParameter(5, toJson(after))
                .executeUpdate();
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

    /** The audit records, newest first, optionally of one target (exact) or target prefix ("host/"). */
    public List<AuditEvent> list(String target, Long before, int limit) {
        StringBuilder sql = new StringBuilder("select id, at, actor, action, target, cast(before as text), cast(after as text) "
                + "from audit_event where true");
        List<Object> params = new ArrayList<>();
        if (target != null) {
            sql.append(" and (target = ? or target like ?)");
            params.add(target);
            params.add(target.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%");
        }
        if (before != null) {
            sql.append(" and id < ?");
            params.add(before);
        }
        sql.append(" order by id desc limit ?");
        params.add(limit);
        jakarta.persistence.Query query = em.createNativeQuery(sql.toString());
        for (int i = 0; i < params.size(); i++) {
            query.setParameter(i + 1, params.get(i));
        }
        List<AuditEvent> events = new ArrayList<>();
        for (Object row : query.getResultList()) {
            Object[] cols = (Object[]) row;
            events.add(new AuditEvent(((Number) cols[0]).longValue(), (java.time.Instant) toInstant(cols[1]), (String) cols[2],
                    (String) cols[3], (String) cols[4], fromJson((String) cols[5]), fromJson((String) cols[6])));
        }
        return events;
    }

    /** One change as the audit shows it. */
    public record AuditEvent(long id, java.time.Instant at, String actor, String action, String target,
            com.fasterxml.jackson.databind.JsonNode before, com.fasterxml.jackson.databind.JsonNode after) {
    }

    private static java.time.Instant toInstant(Object value) {
        if (value instanceof java.time.Instant instant) {
            return instant;
        }
        if (value instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        return ((java.sql.Timestamp) value).toInstant();
    }

    private com.fasterxml.jackson.databind.JsonNode fromJson(String text) {
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
