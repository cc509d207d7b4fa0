package dev.ballast.rollout;

import java.util.List;

import dev.ballast.inventory.HostName;
import dev.ballast.inventory.Inventory;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/** {@code GET /api/hosts/{name}/pending-restarts}: the host's guests that wait for a cold start, and since when. */
@Path("/api/hosts/{name}/pending-restarts")
public class PendingRestartResource {

    private final PendingRestarts pendingRestarts;
    private final Inventory inventory;

    PendingRestartResource(PendingRestarts pendingRestarts, Inventory inventory) {
        this.pendingRestarts = pendingRestarts;
        this.inventory = inventory;
    }

    @GET
    public List<PendingRestarts.Waiting> list(@PathParam("name") String name) {
        HostName host = HostName.parse("name", name);
        inventory.get(host);
        return pendingRestarts.ofHost(host.value());
    }
}
