package dev.ballast.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.ballast.problem.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;

/** Every step and preflight check Ballast knows, by id. */
@ApplicationScoped
public class Catalog {

    private final Map<String, TuningStep<?>> steps = byId(List.of(
            new IoSchedulerStep(),
            new HugepagesStep(),
            new LvmThinPoolStep(),
            new RawDiskPermissionsStep(),
            new SelinuxContextStep()));
    private final Map<String, PreflightCheck<?>> checks = byId(List.<PreflightCheck<?>>of());

    public List<CatalogEntry> entries() {
        return Stream.concat(steps.values().stream(), checks.values().stream()).map(CatalogEntry.class::cast).toList();
    }

    /** The step with its parameters validated; problems are reported under {@code field}. */
    public TuningStep.Configured<?> step(String field, String id, Map<String, String> params) {
        TuningStep<?> step = steps.get(id);
        if (step == null) {
            throw InvalidInputException.of(field, "'" + Values.printable(String.valueOf(id)) + "' is not a step (one of "
                    + String.join(", ", steps.keySet()) + ")");
        }
        return step.configure(field + ".params", params);
    }

    public PreflightCheck.Configured<?> check(String field, String id, Map<String, String> params) {
        PreflightCheck<?> check = checks.get(id);
        if (check == null) {
            throw InvalidInputException.of(field, "'" + Values.printable(String.valueOf(id)) + "' is not a check (one of "
                    + String.join(", ", checks.keySet()) + ")");
        }
        return check.configure(field + ".params", params);
    }

    private static <T extends CatalogEntry> Map<String, T> byId(List<T> entries) {
        Map<String, T> map = new LinkedHashMap<>();
        entries.forEach(entry -> map.put(entry.id(), entry));
        return map;
    }
}
