package dev.ballast.lab;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.ballast.identity.Identities;
import dev.ballast.identity.IdentityName;
import dev.ballast.inventory.ImportReport;
import dev.ballast.inventory.Inventory;
import dev.ballast.inventory.InventoryFormat;
import dev.ballast.postgres.EmbeddedDatabase;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * The simulated fleet of the demo: started with Ballast when {@code ballast.lab.enabled} says so
 * ({@code auto}: only when Ballast runs its own PostgreSQL, that is, never against a production
 * database) and imported into the inventory with its host keys pinned. The lab's hosts get new ports
 * and keys at every start; the import updates them (audited).
 */
@ApplicationScoped
class DemoLab {

    private static final Logger LOG = Logger.getLogger(DemoLab.class);

    private final Identities identities;
    private final Inventory inventory;
    private final String enabled;
    private final int hosts;
    private volatile LabFleet fleet;

    DemoLab(Identities identities, Inventory inventory, @ConfigProperty(name = "ballast.lab.enabled") String enabled,
            @ConfigProperty(name = "ballast.lab.hosts") int hosts) {
        this.identities = identities;
        this.inventory = inventory;
        this.enabled = enabled;
        this.hosts = hosts;
    }

    /** After the default identity exists (its observer runs at the default priority). */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
        boolean on = switch (enabled) {
            case "true" -> true;
            case "false" -> false;
            case "auto" -> EmbeddedDatabase.isRunning();
            default -> throw new IllegalArgumentException("ballast.lab.enabled is '" + enabled + "': use auto, true or false");
        };
        if (!on || hosts <= 0) {
            return;
        }
        fleet = LabFleet.start(hosts, identities.get(IdentityName.DEFAULT).publicKey());
        ImportReport report = inventory.importDocument(InventoryFormat.BALLAST, fleet.inventoryYaml(), false);
        LOG.infof("Lab fleet: %d simulated hypervisors on 127.0.0.1 (lab-001 on port %d ... %s on port %d), imported into the inventory "
                + "(%d created, %d updated, %d unchanged); set ballast.lab.enabled=false to run without it", hosts,
                fleet.hosts().get(0).port(),
                fleet.hosts().get(hosts - 1).name(), fleet.hosts().get(hosts - 1).port(), report.created(), report.updated(), report.unchanged());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (fleet != null) {
            fleet.close();
        }
    }
}
