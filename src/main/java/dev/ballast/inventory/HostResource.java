package dev.ballast.inventory;

import dev.ballast.api.Located;
import dev.ballast.remote.PinnedHostKey;
import dev.ballast.input.QueryParams;


import dev.ballast.problem.InvalidInputException;
import dev.ballast.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The hosts of the inventory. */
@Path("/api/hosts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class HostResource {

    static final int MAX_PAGE_SIZE = 500;
    private final Inventory inventory;
    private final HostKeyTrust trust;

    HostResource(Inventory inventory, HostKeyTrust trust) {
        this.inventory = inventory;
        this.trust = trust;
    }

    /** Hosts matching {@code selector}, a page at a time; parameters are text so a bad one gets a 400, not JAX-RS' 404. */
    @GET
    public Inventory.Page list(@QueryParam("selector") String selector, @QueryParam("page") String page,
            @QueryParam("size") String size) {
        return inventory.list(Selector.parse("selector", selector),
                QueryParams.number("page", page, 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE),
                QueryParams.number("size", size, 50, 1, MAX_PAGE_SIZE));
    }

    @GET
    @Path("{name}")
    public HostView get(@PathParam("name") String name) {
        return inventory.get(HostName.parse("name", name));
    }

    @RolesAllowed(Role.ADMIN_NAME)
    @POST
    public Response create(HostRequest request) {
        HostView created = inventory.create(required(request).toSpec());
        return Located.created("/api/hosts/" + created.name(), created);
    }

    @RolesAllowed(Role.ADMIN_NAME)
    @PUT
    @Path("{name}")
    public HostView replace(@PathParam("name") String name, HostRequest request) {
        return inventory.replace(HostName.parse("name", name), required(request).toSpec());
    }

    @RolesAllowed(Role.ADMIN_NAME)
    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name) {
        inventory.delete(HostName.parse("name", name));
        return Response.noContent().build();
    }

    /** The body of a maintenance switch: {@code {"maintenance": true}} or false. */
    public record MaintenanceRequest(Boolean maintenance) {
    }

    /** Sets or ends a host's maintenance (operator, audited); the rest of the host is an admin's. */
    @RolesAllowed(Role.OPERATOR_NAME)
    @PUT
    @Path("{name}/maintenance")
    public HostView maintenance(@PathParam("name") String name, MaintenanceRequest request) {
        HostName host = HostName.parse("name", name);
        if (request == null || request.maintenance() == null) {
            throw InvalidInputException.of("maintenance", "is required: {\"maintenance\": true} or false");
        }
        return inventory.setMaintenance(host, request.maintenance());
    }

    /** The body of an accept-key request: the key the quarantined host presented, repeated. */
    public record AcceptKeyRequest(String hostKey) {
    }

    /** Accepts the key a quarantined host presented, pinning it and ending the quarantine (admin, audited). */
    @RolesAllowed(Role.ADMIN_NAME)
    @POST
    @Path("{name}/host-key/accept")
    public HostView acceptHostKey(@PathParam("name") String name, AcceptKeyRequest request) {
        HostName host = HostName.parse("name", name);
        if (request == null) {
            throw InvalidInputException.of("body", "is required: {\"hostKey\": \"<the key the host presented>\"}");
        }
        return trust.acceptPresentedKey(host, PinnedHostKey.parse("hostKey", request.hostKey()));
    }

    private static HostRequest required(HostRequest request) {
        if (request == null) {
            throw InvalidInputException.of("body", "is required (a host as JSON)");
        }
        return request;
    }
}
