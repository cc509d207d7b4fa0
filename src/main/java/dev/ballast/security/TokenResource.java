package dev.ballast.security;

import java.util.List;

import dev.ballast.input.QueryParams;
import dev.ballast.problem.InvalidInputException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/** API tokens: made, listed and revoked by admins. The secret is in the answer to the POST only. */
@Path("/api/tokens")
@RolesAllowed(Role.ADMIN_NAME)
public class TokenResource {

    public record CreateRequest(String name, String role) {
    }

    private final ApiTokens tokens;

    TokenResource(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @GET
    public List<ApiTokens.TokenView> list() {
        return tokens.list();
    }

    @POST
    public Response create(CreateRequest request) {
        if (request == null) {
            throw InvalidInputException.of("body", "a JSON object with name and role is required");
        }
        Role role = InvalidInputException.forField("role", () -> Role.parse(request.role()));
        return Response.status(201).entity(tokens.create(request.name(), role)).build();
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("id") String id) {
        tokens.revoke(QueryParams.id("id", id));
        return Response.noContent().build();
    }
}
