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
            new BlockQueueStep(),
            new HugepagesStep(),
            new DiskCacheStep(),
            new VirtioScsiStep(),
            new DomainHugepagesStep(),
            new LvmThinPoolStep(),
            new RawDiskPermissionsStep(),
            new SelinuxContextStep(),
            new AppArmorRawDiskStep(),
            new QemuDiskAccessStep(),
            new EmulatorPinningStep(),
            new IothreadPinningStep()));
    private final Map<String, PreflightCheck<?>> checks = byId(List.<PreflightCheck<?>>of(
            new KernelCheck(),
            new IommuCheck(),
            new NvmeTemperatureCheck(),
            new PcieLinkCheck(),
            new FioBaselineCheck(),
            new LibvirtVersionCheck(),
            new GuestAgentCheck(),
            new KernelIoErrorsCheck()));

    public List<CatalogEntry> entries() {
        return Stream.concat(steps.values().stream(), checks.values().stream()).map(CatalogEntry.class::cast).toList();
    }

    /**
     * The step with its parameters validated. {@code at} is where the step stands in the request
     * ({@code steps[2]}, or "" for the top level): an unknown id is reported at {@code <at>.step}, a bad
     * parameter at {@code <at>.params.<name>}.
     */
    public TuningStep.Configured<?> step(String at, String id, Map<String, String> params) {
        TuningStep<?> step = steps.get(id);
        if (step == null) {
            throw InvalidInputException.of(path(at, "step"), "'" + Values.printable(String.valueOf(id))
                    + "' is not a step (one of " + String.join(", ", steps.keySet()) + ")");
        }
        return step.configure(path(at, "params"), params);
    }

    /** The check with its parameters validated, reported like {@link #step}, at {@code <at>.check}. */
    public PreflightCheck.Configured<?> check(String at, String id, Map<String, String> params) {
        PreflightCheck<?> check = checks.get(id);
        if (check == null) {
            throw InvalidInputException.of(path(at, "check"), "'" + Values.printable(String.valueOf(id))
                    + "' is not a check (one of " + String.join(", ", checks.keySet()) + ")");
        }
        return check.configure(path(at, "params"), params);
    }

    private static String path(String at, String field) {
        return at.isEmpty() ? field : at + "." + field;
    }

    private static <T extends CatalogEntry> Map<String, T> byId(List<T> entries) {
        Map<String, T> map = new LinkedHashMap<>();
        entries.forEach(entry -> map.put(entry.id(), entry));
        return map;
    }
}
