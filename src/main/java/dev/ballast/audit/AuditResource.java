package dev.ballast.audit;

import java.util.List;

import dev.ballast.input.QueryParams;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/**
 * The audit trail, newest first: {@code ?target=host/lab-001} (a target and everything under it),
 * {@code ?actor=alice}, {@code ?action=sweep.update} (or {@code sweep}: every sweep action),
 * {@code ?since=} and {@code ?until=} (ISO instants), {@code ?before=ID} for the next page, {@code ?limit=} up to 500.
 */
@Path("/api/audit")
public class AuditResource {

    private final AuditLog audit;

    AuditResource(AuditLog audit) {
        this.audit = audit;
    }

    @GET
    public List<AuditLog.AuditEvent> list(@BeanParam AuditFilter.Query query, @QueryParam("before") String before,
            @QueryParam("limit") String limit) {
        int beforeId = QueryParams.number("before", before, Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
        int size = QueryParams.number("limit", limit, 100, 1, 500);
        return audit.list(query.filter(), (long) beforeId, size);
    }
}
