package dev.ballast.rollout;


import dev.ballast.api.Located;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /api/hosts/{name}/rollback {"rollout": ID}}: undo what that rollout changed on the host.
 * 201 with the rollback rollout when one starts, 200 with the existing one when it already runs or has
 * restored everything, 409 when the host is busy or nothing is left to restore.
 */
@Path("/api/hosts/{name}/rollback")
public class HostRollbackResource {

    /** {@code force}: restore past the refusals an operator may overrule (a domain changed or gone since Ballast applied). */
    public record RollbackRequest(Long rollout, Boolean force) {
    }

    private final HostRollbacks rollbacks;

    HostRollbackResource(HostRollbacks rollbacks) {
        this.rollbacks = rollbacks;
    }

    @POST
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response rollBack(@PathParam("name") String name, RollbackRequest request) {
        if (request == null || request.rollout() == null) {
            throw InvalidInputException.of("rollout", "is required: the id of the rollout whose changes to undo");
        }
        HostRollbacks.Started started = rollbacks.rollBack(name, request.rollout(), Boolean.TRUE.equals(request.force()));
        return started.created()
                ? Located.created("/api/rollouts/" + started.rollout().id(), started.rollout())
                : Response.ok(started.rollout()).build();
    }
}
