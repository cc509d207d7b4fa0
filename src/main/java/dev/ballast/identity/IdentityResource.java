package dev.ballast.identity;

import java.util.List;

import dev.ballast.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** SSH identities: public keys to put into hosts' authorized_keys. Private keys never leave the store. */
@Path("/api/identities")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class IdentityResource {

    /** The body of a request to generate an identity. */
    public record GenerateRequest(String name) {
    }

    private final Identities identities;

    IdentityResource(Identities identities) {
        this.identities = identities;
    }

    @GET
    public List<IdentityView> list() {
        return identities.list();
    }

    @GET
    @Path("{name}")
    public IdentityView get(@PathParam("name") String name) {
        return identities.get(IdentityName.parse("name", name));
    }

    @RolesAllowed(Role.ADMIN_NAME)
    @POST
    public Response generate(GenerateRequest request) {
        IdentityName name = IdentityName.parse("name", request == null ? null : request.name());
        return Response.status(Response.Status.CREATED).entity(identities.generate(name)).build();
    }
}
