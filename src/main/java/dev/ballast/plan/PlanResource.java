package dev.ballast.plan;

import java.util.List;

import dev.ballast.api.Located;
import dev.ballast.input.QueryParams;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.audit.AuditLog;
import dev.ballast.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /api/plans}: plan documents (YAML or JSON), validated against the catalog, versioned by name. */
@Path("/api/plans")
@Produces(MediaType.APPLICATION_JSON)
public class PlanResource {

    private final Plans plans;
    private final AuditLog audit;

    PlanResource(Plans plans, AuditLog audit) {
        this.plans = plans;
        this.audit = audit;
    }

    public record PlanSummary(String name, int version, String description, int steps, java.time.Instant createdAt) {
    }

    @GET
    public List<PlanSummary> list() {
        return plans.list().stream().map(p -> new PlanSummary(p.name(), p.version(), p.plan().description(),
                p.plan().steps().size(), p.createdAt())).toList();
    }

    /** Saves a new version; {@code ?dryRun=true} only validates. 201 for a new version, 200 when unchanged. */
    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Consumes({ MediaType.APPLICATION_JSON, "application/yaml", "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN })
    public Response save(@QueryParam("dryRun") String dryRun, String body) {
        if (body == null || body.isBlank()) {
            throw InvalidInputException.of("body", "the plan is empty");
        }
        if (QueryParams.flag("dryRun", dryRun)) {
            return Response.ok(plans.validate(body)).build();
        }
        Plans.Saved saved = plans.save(body, audit.actor());
        StoredPlan stored = saved.plan();
        return saved.created() ? Located.created("/api/plans/" + stored.name() + "/versions/" + stored.version(), stored)
                : Response.ok(stored).build();
    }

    @GET
    @Path("{name}")
    public StoredPlan latest(@PathParam("name") String name) {
        return plans.latest(name);
    }

    @GET
    @Path("{name}/versions/{version}")
    public StoredPlan version(@PathParam("name") String name, @PathParam("version") String version) {
        if (!version.matches("[0-9]{1,9}")) {
            throw InvalidInputException.of("version", "'" + version + "' is not a version number");
        }
        return plans.get(InvalidInputException.forField("name", () -> PlanName.parse(name)), Integer.parseInt(version));
    }
}
