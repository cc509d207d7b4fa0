package dev.ballast.catalog;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** {@code GET /api/steps}: the catalog with parameter schemas, for plan authors and the plan editor. */
@Path("/api/steps")
public class StepResource {

    private final Catalog catalog;

    StepResource(Catalog catalog) {
        this.catalog = catalog;
    }

    public record EntryView(String id, String kind, String description, String effect, Boolean survivesReboot,
            List<ParameterSpec> parameters) {
    }

    @GET
    public List<EntryView> list() {
        return catalog.entries().stream().map(entry -> entry instanceof TuningStep<?> step
                ? new EntryView(step.id(), step.kind(), step.description(), step.effect().name(), step.survivesReboot(),
                        step.parameters())
                : new EntryView(entry.id(), entry.kind(), entry.description(), null, null, entry.parameters()))
                .toList();
    }
}
