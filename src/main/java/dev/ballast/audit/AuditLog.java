package dev.ballast.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

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

    /** Until API authentication exists every change is made by this actor. */
    static final String UNAUTHENTICATED = "unauthenticated";

    private final EntityManager em;
    private final ObjectMapper json;

    AuditLog(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String action, String target, Object before, Object after) {
        em.createNativeQuery("insert into audit_event (actor, action, target, before, after) "
                + "values (?, ?, ?, cast(? as jsonb), cast(? as jsonb))")
                .setParameter(1, UNAUTHENTICATED)
                .setParameter(2, action)
                .setParameter(3, target)
                .setParameter(4, toJson(before))
                .setParameter(5, toJson(after))
                .executeUpdate();
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
