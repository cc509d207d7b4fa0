package dev.ballast.security;

import java.util.List;

import dev.ballast.problem.InvalidInputException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

/** UI users, managed by admins. Passwords go in, never out. */
@Path("/api/users")
@RolesAllowed(Role.ADMIN_NAME)
public class UserResource {

    public record CreateRequest(String name, String role, String password) {
    }

    private final Users users;

    UserResource(Users users) {
        this.users = users;
    }

    @GET
    public List<Users.UserView> list() {
        return users.list();
    }

    @POST
    public Response create(CreateRequest request) {
        if (request == null) {
            throw InvalidInputException.of("body", "a JSON object with name, role and password is required");
        }
        Role role = InvalidInputException.forField("role", () -> Role.parse(request.role()));
        return Response.status(201).entity(users.create(request.name(), role, request.password())).build();
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name) {
        users.delete(name);
        return Response.noContent().build();
    }
}
