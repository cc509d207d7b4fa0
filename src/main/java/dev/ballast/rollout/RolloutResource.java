package dev.ballast.rollout;

import java.util.List;

import dev.ballast.api.Located;
import dev.ballast.audit.AuditLog;
import dev.ballast.input.QueryParams;
import dev.ballast.inventory.HostName;
import dev.ballast.inventory.Labels;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.queue.TaskState;
import dev.ballast.security.Role;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /api/rollouts}: start a plan over the hosts a selector chooses, watch it, steer it. */
@Path("/api/rollouts")
public class RolloutResource {

    private final RolloutCreation creation;
    private final RolloutControls controls;
    private final RolloutQueries queries;
    private final AuditLog audit;
    private final RolloutEvents events;

    RolloutResource(RolloutCreation creation, RolloutControls controls, RolloutQueries queries, AuditLog audit, RolloutEvents events) {
        this.creation = creation;
        this.controls = controls;
        this.queries = queries;
        this.audit = audit;
        this.events = events;
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
     * The rollout's live changes as named server-sent events ({@code rollout}, {@code wave}, {@code host}),
     * resumable with {@code Last-Event-ID}: see {@link RolloutEvents}.
     */
    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "The rollout's live changes, resumable", description = """
            Server-sent events, each with an `id`, named by what changed and carrying only that, as JSON in `data`:
            `rollout` (id, state, reason, currentWave, controls, totals, finishedAt), `wave` (one wave as in
            GET /api/rollouts/{id}) and `host` (one host's task as in GET /api/rollouts/{id}/hosts). A new client
            gets the rollout and its waves first, then host changes as they happen; one that reconnects with the
            `Last-Event-ID` header it last saw gets every host change after it, so a dropped connection loses
            nothing. The stream ends when the rollout is settled and every change was sent. A Last-Event-ID
            that is not one of ours is a 400 naming the header.""")
    public Multi<OutboundSseEvent> events(@PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId,
            @Context Sse sse) {
        return events.stream(id(id), lastEventId, sse);
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

    /** The rollout's hosts grouped by a label's value (default: the plan's spread label, else rack or zone). */
    @GET
    @Path("{id}/failure-domains")
    public FailureDomains failureDomains(@PathParam("id") String id, @QueryParam("label") String label) {
        return queries.failureDomains(id(id), label == null ? null : Labels.key("label", label));
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
