package dev.ballast.rollout;

import java.time.Duration;
import java.util.List;

import org.jboss.resteasy.reactive.RestStreamElementType;

import dev.ballast.api.Located;
import dev.ballast.audit.AuditLog;
import dev.ballast.input.QueryParams;
import dev.ballast.inventory.HostName;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.queue.TaskState;
import dev.ballast.security.Role;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /api/rollouts}: start a plan over the hosts a selector chooses, watch it, steer it. */
@Path("/api/rollouts")
public class RolloutResource {

    private final RolloutCreation creation;
    private final RolloutControls controls;
    private final RolloutQueries queries;
    private final AuditLog audit;

    RolloutResource(RolloutCreation creation, RolloutControls controls, RolloutQueries queries, AuditLog audit) {
        this.creation = creation;
        this.controls = controls;
        this.queries = queries;
        this.audit = audit;
    }

    /** The plan by name (its latest version unless one is given), the hosts by selector, apply or check. */
    public record CreateRequest(String plan, Integer planVersion, String selector, String mode) {
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    public Response create(@QueryParam("dryRun") String dryRun, CreateRequest request) {
        if (request == null) {
            throw InvalidInputException.of("body", "is required: {\"plan\": ..., \"selector\": ..., \"mode\": \"apply\"}");
        }
        if (QueryParams.flag("dryRun", dryRun)) {
            return Response.ok(creation.dryRun(request.plan(), request.planVersion(), request.selector(), request.mode(),
                    audit.actor())).build();
        }
        RolloutView created = creation.create(request.plan(), request.planVersion(), request.selector(), request.mode(),
                audit.actor());
        return Located.created("/api/rollouts/" + created.id(), created);
    }

    /**
     * The rollout as {@code GET /api/rollouts/{id}} gives it, pushed as a server-sent event every second
     * until it settles (the UI's live progress bars).
     */
    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<RolloutView> events(@PathParam("id") String id) {
        long rollout = id(id);
        queries.get(rollout);
        return Multi.createBy().repeating().supplier(() -> queries.get(rollout)).withDelay(Duration.ofSeconds(1))
                .whilst(view -> !view.settled())
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    @GET
    public List<RolloutSummary> list(@QueryParam("state") String state, @QueryParam("page") String page,
            @QueryParam("size") String size) {
        return queries.list(QueryParams.choice("state", state, RolloutState.class),
                QueryParams.number("page", page, 0, 0, 1_000_000), QueryParams.number("size", size, 50, 1, 500));
    }

    @GET
    @Path("{id}")
    public RolloutView get(@PathParam("id") String id) {
        return queries.get(id(id));
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Path("{id}/approve")
    public RolloutView approve(@PathParam("id") String id) {
        return controls.approve(id(id), audit.actor());
    }

    /** Why the wave waiting for approval is refused: required, recorded with the denial. */
    public record DenyRequest(String reason) {
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Path("{id}/deny")
    public RolloutView deny(@PathParam("id") String id, DenyRequest request) {
        String reason = request == null || request.reason() == null ? "" : request.reason().strip();
        if (reason.isEmpty() || reason.length() > 500 || reason.codePoints().anyMatch(Character::isISOControl)) {
            throw InvalidInputException.of("reason", "is required: one line of at most 500 characters saying why the wave is refused");
        }
        return controls.deny(id(id), audit.actor(), reason);
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Path("{id}/pause")
    public RolloutView pause(@PathParam("id") String id) {
        return controls.pause(id(id), audit.actor());
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Path("{id}/resume")
    public RolloutView resume(@PathParam("id") String id) {
        return controls.resume(id(id), audit.actor());
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Path("{id}/cancel")
    public RolloutView cancel(@PathParam("id") String id) {
        return controls.cancel(id(id), audit.actor());
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    @Path("{id}/retry-failed")
    public RolloutView retryFailed(@PathParam("id") String id) {
        return controls.retryFailed(id(id), audit.actor());
    }

    @GET
    @Path("{id}/hosts")
    public HostTaskView.Page hosts(@PathParam("id") String id, @QueryParam("state") String state,
            @QueryParam("page") String page, @QueryParam("size") String size) {
        return queries.hosts(id(id), QueryParams.choice("state", state, TaskState.class),
                QueryParams.number("page", page, 0, 0, 1_000_000), QueryParams.number("size", size, 50, 1, 500));
    }

    @GET
    @Path("{id}/hosts/{host}")
    public HostTaskView.Detail host(@PathParam("id") String id, @PathParam("host") String host) {
        return queries.host(id(id), HostName.parse("host", host).value());
    }

    private static long id(String text) {
        return QueryParams.id("id", text);
    }
}
