package dev.ballast.compliance;

import java.util.List;

import dev.ballast.api.Located;
import dev.ballast.input.QueryParams;
import dev.ballast.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/** {@code /api/sweeps}: scheduled compliance checks, their runs and what each run found drifted. */
@Path("/api/sweeps")
public class SweepResource {

    private final SweepDefinitions definitions;
    private final SweepFiring firing;
    private final SweepReports reports;

    SweepResource(SweepDefinitions definitions, SweepFiring firing, SweepReports reports) {
        this.definitions = definitions;
        this.firing = firing;
        this.reports = reports;
    }

    @GET
    public List<SweepDefinition> list() {
        return definitions.list();
    }

    @POST
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response create(SweepDefinitions.SweepRequest request) {
        SweepDefinition created = definitions.create(request);
        return Located.created("/api/sweeps/" + created.id(), created);
    }

    @GET
    @Path("{id}")
    public SweepDefinition get(@PathParam("id") String id) {
        return definitions.get(QueryParams.id("id", id));
    }

    /** Changes a sweep: the same body as a new one; its schedule is replaced, its runs stay. */
    @PUT
    @Path("{id}")
    @RolesAllowed(Role.OPERATOR_NAME)
    public SweepDefinition update(@PathParam("id") String id, SweepDefinitions.SweepRequest request) {
        return definitions.update(QueryParams.id("id", id), request);
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response delete(@PathParam("id") String id) {
        definitions.delete(QueryParams.id("id", id));
        return Response.noContent().build();
    }

    /** Runs the sweep now, besides its schedule. */
    @POST
    @Path("{id}/run")
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response runNow(@PathParam("id") String id) {
        SweepRun run = firing.runNow(QueryParams.id("id", id));
        return Located.at(Response.accepted(run), "/api/sweeps/" + run.sweep() + "/runs/" + run.id()).build();
    }

    @GET
    @Path("{id}/runs")
    public List<SweepRun> runs(@PathParam("id") String id, @QueryParam("limit") String limit) {
        return reports.runs(QueryParams.id("id", id), QueryParams.number("limit", limit, 50, 1, 1000));
    }

    @GET
    @Path("{id}/runs/{run}")
    public SweepRun run(@PathParam("id") String id, @PathParam("run") String run) {
        return reports.run(QueryParams.id("id", id), QueryParams.id("run", run));
    }

    @GET
    @Path("{id}/runs/{run}/drift")
    public List<DriftEntry> drift(@PathParam("id") String id, @PathParam("run") String run) {
        return reports.drift(QueryParams.id("id", id), QueryParams.id("run", run));
    }

}
