package dev.ballast.audit;

import java.util.List;

import dev.ballast.input.QueryParams;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/**
 * The audit trail, newest first: {@code ?target=host/lab-001} (a target and everything under it),
 * {@code ?before=ID} for the next page, {@code ?limit=} up to 500.
 */
@Path("/api/audit")
public class AuditResource {

    private final AuditLog audit;

    AuditResource(AuditLog audit) {
        this.audit = audit;
    }

    @GET
    public List<AuditLog.AuditEvent> list(@QueryParam("target") String target, @QueryParam("before") String before,
            @QueryParam("limit") String limit) {
        int beforeId = QueryParams.number("before", before, Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
        int size = QueryParams.number("limit", limit, 100, 1, 500);
        return audit.list(target == null || target.isBlank() ? null : target, (long) beforeId, size);
    }
}
