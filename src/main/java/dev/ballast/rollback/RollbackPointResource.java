package dev.ballast.rollback;

import java.util.List;

import dev.ballast.inventory.HostName;
import dev.ballast.inventory.Inventory;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/** {@code GET /api/hosts/{name}/rollback-points}: what each rollout captured on a host before changing it. */
@Path("/api/hosts/{name}/rollback-points")
public class RollbackPointResource {

    private final RollbackPoints points;
    private final Inventory inventory;

    RollbackPointResource(RollbackPoints points, Inventory inventory) {
        this.points = points;
        this.inventory = inventory;
    }

    @GET
    public List<RollbackPoints.RolloutPoints> list(@PathParam("name") String name) {
        HostName host = HostName.parse("name", name);
        inventory.get(host);
        return points.ofHost(host.value());
    }
}
