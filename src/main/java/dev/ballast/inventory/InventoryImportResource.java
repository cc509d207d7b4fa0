package dev.ballast.inventory;

import dev.ballast.input.QueryParams;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Imports a whole inventory file: all hosts or, on any error, none. */
@Path("/api/inventory/import")
public class InventoryImportResource {

    private final Inventory inventory;

    InventoryImportResource(Inventory inventory) {
        this.inventory = inventory;
    }

    @RolesAllowed(Role.ADMIN_NAME)
    @POST
    @Consumes({ MediaType.TEXT_PLAIN, "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml",
            "text/x-ini", MediaType.APPLICATION_OCTET_STREAM })
    @Produces(MediaType.APPLICATION_JSON)
    public ImportReport importInventory(@QueryParam("format") String format, @QueryParam("dryRun") String dryRun, String body) {
        InventoryFormat chosen = InventoryFormat.parse("format", format);
        boolean dry = QueryParams.flag("dryRun", dryRun);
        if (body == null || body.isBlank()) {
            throw InvalidInputException.of("body", "the inventory is empty");
        }
        if (body.indexOf('\0') >= 0) {
            throw InvalidInputException.of("body", "holds a NUL byte; an inventory is text");
        }
        return inventory.importDocument(chosen, body, dry);
    }
}
