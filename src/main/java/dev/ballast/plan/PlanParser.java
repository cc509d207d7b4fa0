package dev.ballast.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.yaml.snakeyaml.nodes.Node;

import dev.ballast.catalog.Catalog;
import dev.ballast.document.YamlTree;
import dev.ballast.inventory.Labels;
import dev.ballast.plan.WavePolicy.Amount;
import dev.ballast.plan.WavePolicy.Approval;
import dev.ballast.problem.FieldError;
import dev.ballast.problem.FieldErrors;
import dev.ballast.problem.InvalidInputException;

/**
 * Reads a plan document (YAML, or JSON, which YAML includes) and validates every part against the
 * catalog, reporting all problems at once by field path and line ({@code steps[1].params.device}).
 */
final class PlanParser {

    private static final Set<String> TOP = Set.of("name", "description", "steps", "preflight", "waves", "concurrency",
            "hostTimeout");
    private static final Set<String> WAVES = Set.of("canary", "canaryCoverLabels", "sizes", "spreadLabel",
            "maxInFlightPerValue", "wavePerValue", "maxWaveFailures", "maxTotalFailures", "onThreshold", "approval", "pauseBetweenWaves",
            "fioMaxDropPercent", "healthGate");
    /** The checks whose signals the health gate reads again after a host's steps. */
    static final List<String> GATE_SIGNALS = List.of("fio-baseline", "kernel-io-errors");
    private static final WavePolicy DEFAULT_WAVES = new WavePolicy(1, List.of(), List.of(Amount.parse("100%")), null, 0,
            false, Amount.parse("0"), Amount.parse("0"), false, Approval.NONE, 0, null, List.of());

    private final Catalog catalog;
    private final FieldErrors errors = new FieldErrors();

    private PlanParser(Catalog catalog) {
        this.catalog = catalog;
    }

    static Plan parse(Catalog catalog, String text) {
        return new PlanParser(catalog).plan(text);
    }

    private Plan plan(String text) {
        Node root = YamlTree.parse(text);
        if (YamlTree.isNull(root)) {
            throw InvalidInputException.of("body", "the plan is empty");
        }
        Map<String, Node> top = fields(root, "", TOP);
        String name = value(top, "name", "name", PlanName::parse);
        String description = top.containsKey("description") ? YamlTree.scalar(top.get("description"), "description") : "";
        List<Plan.Entry> steps = entries(top.get("steps"), "steps", "step", true);
        List<Plan.Entry> preflight = top.containsKey("preflight") ? entries(top.get("preflight"), "preflight", "check", false)
                : List.of();
        WavePolicy waves = top.containsKey("waves") ? waves(top.get("waves")) : DEFAULT_WAVES;
        Integer concurrency = optional(top, "concurrency", "concurrency", "50", t -> bounded(t, 1, 1000));
        Long hostTimeout = optional(top, "hostTimeout", "hostTimeout", "15m", t -> Durations.seconds(t, 10, 24 * 3600));
        if (waves.fioMaxDropPercent() != null && preflight.stream().noneMatch(e -> e.id().equals("fio-baseline"))) {
            errors.add(new FieldError("waves.fioMaxDropPercent", "needs a fio-baseline check in preflight: it compares "
                    + "the IOPS after the steps with that measurement"));
        }
        for (int i = 0; i < waves.healthGate().size(); i++) {
            String signal = waves.healthGate().get(i);
            if (preflight.stream().noneMatch(e -> e.id().equals(signal))) {
                errors.add(new FieldError("waves.healthGate[" + i + "]", "needs a " + signal + " check in preflight: the gate "
                        + "compares what it reads after the steps with that reading"));
            }
        }
        errors.throwIfAny();
        return new Plan(name, description, steps, preflight, waves, concurrency, hostTimeout);
    }

    private List<Plan.Entry> entries(Node node, String field, String idKey, boolean required) {
        if (node == null || YamlTree.isNull(node)) {
            if (required) {
                errors.add(new FieldError(field, "at least one " + idKey + " is required"));
            }
            return List.of();
        }
        List<Plan.Entry> entries = new ArrayList<>();
        List<Node> items = guard(() -> YamlTree.sequence(node, field));
        if (items == null) {
            return List.of();
        }
        if (required && items.isEmpty()) {
            errors.add(new FieldError(field, "at least one " + idKey + " is required", YamlTree.line(node)));
        }
        for (int i = 0; i < items.size(); i++) {
            String at = field + "[" + i + "]";
            Node item = items.get(i);
            Map<String, Node> entry = fields(item, at, Set.of(idKey, "params"));
            String id = value(entry, idKey, at + "." + idKey, Function.identity());
            Map<String, String> params = entry.containsKey("params") ? params(entry.get("params"), at + ".params")
                    : Map.of();
            if (id == null || params == null) {
                continue;
            }
            try {
                if (idKey.equals("step")) {
                    catalog.step(at, id, params);
                } else {
                    catalog.check(at, id, params);
                }
                entries.add(new Plan.Entry(id, params));
            } catch (InvalidInputException e) {
                e.errors().forEach(error -> errors.add(error.line() == null ? error.atLine(YamlTree.line(item)) : error));
            }
        }
        return entries;
    }

    private Map<String, String> params(Node node, String field) {
        Map<String, Node> raw = guard(() -> YamlTree.mapping(node, field));
        if (raw == null) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        raw.forEach((key, value) -> {
            String text = guard(() -> YamlTree.scalar(value, field + "." + key));
            if (text != null) {
                params.put(key, text);
            }
        });
        return params;
    }

    private WavePolicy waves(Node node) {
        Map<String, Node> w = fields(node, "waves", WAVES);
        Integer canary = optional(w, "canary", "waves.canary", "1", t -> bounded(t, 1, 1000));
        List<String> cover = w.containsKey("canaryCoverLabels") ? scalars(w.get("canaryCoverLabels"), "waves.canaryCoverLabels",
                PlanParser::labelKey) : List.of();
        List<Amount> sizes = w.containsKey("sizes") ? sizes(w.get("sizes")) : List.of(Amount.parse("100%"));
        String spread = optional(w, "spreadLabel", "waves.spreadLabel", null, PlanParser::labelKey);
        Integer perValue = optional(w, "maxInFlightPerValue", "waves.maxInFlightPerValue", "0", t -> bounded(t, 0, 1000));
        if (spread == null && perValue != null && perValue > 0) {
            errors.add(new FieldError("waves.maxInFlightPerValue", "needs waves.spreadLabel, the label whose values it counts",
                    YamlTree.line(w.get("maxInFlightPerValue"))));
        }
        Boolean onePerWave = optional(w, "wavePerValue", "waves.wavePerValue", "false", PlanParser::bool);
        if (spread == null && Boolean.TRUE.equals(onePerWave)) {
            errors.add(new FieldError("waves.wavePerValue", "needs waves.spreadLabel, the label whose values make the waves",
                    YamlTree.line(w.get("wavePerValue"))));
        }
        Amount waveFailures = optional(w, "maxWaveFailures", "waves.maxWaveFailures", "0", Amount::parse);
        Amount totalFailures = optional(w, "maxTotalFailures", "waves.maxTotalFailures", "0", Amount::parse);
        Boolean continueOn = optional(w, "onThreshold", "waves.onThreshold", "halt", t -> switch (t) {
            case "halt" -> false;
            case "continue" -> true;
            default -> throw new IllegalArgumentException("'" + t + "' is not halt or continue");
        });
        Approval approval = optional(w, "approval", "waves.approval", "none", t -> switch (t) {
            case "none" -> Approval.NONE;
            case "after-canary" -> Approval.AFTER_CANARY;
            case "every-wave" -> Approval.EVERY_WAVE;
            default -> throw new IllegalArgumentException("'" + t + "' is not none, after-canary or every-wave");
        });
        Long pause = optional(w, "pauseBetweenWaves", "waves.pauseBetweenWaves", "0s", t -> Durations.seconds(t, 0, 7 * 24 * 3600));
        Integer fioDrop = optional(w, "fioMaxDropPercent", "waves.fioMaxDropPercent", null, t -> bounded(t, 0, 100));
        List<String> gate = w.containsKey("healthGate") ? gateSignals(w.get("healthGate")) : fioDrop != null ? List.of("fio-baseline")
                : List.of();
        if (gate.contains("fio-baseline") && fioDrop == null) {
            errors.add(new FieldError("waves.healthGate", "fio-baseline in the gate needs waves.fioMaxDropPercent, the IOPS drop "
                    + "it allows", YamlTree.line(w.get("healthGate"))));
        }
        return new WavePolicy(canary == null ? 1 : canary, cover, sizes, spread, perValue == null ? 0 : perValue,
                Boolean.TRUE.equals(onePerWave), waveFailures, totalFailures, Boolean.TRUE.equals(continueOn), approval == null ? Approval.NONE : approval,
                pause == null ? 0 : pause, fioDrop, gate);
    }

    private List<Amount> sizes(Node node) {
        List<Node> items = guard(() -> YamlTree.sequence(node, "waves.sizes"));
        if (items == null) {
            return List.of();
        }
        List<Amount> sizes = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String field = "waves.sizes[" + i + "]";
            Node item = items.get(i);
            Amount size = guard(() -> InvalidInputException.forField(field, () -> Amount.parse(YamlTree.scalar(item, field))));
            Amount previous = size == null || sizes.isEmpty() ? null : sizes.get(sizes.size() - 1);
            if (previous != null && previous.percent() == size.percent() && size.value() <= previous.value()) {
                errors.add(new FieldError(field, "sizes are cumulative (each wave brings the rollout to this share), so " + size
                        + " after " + previous + " would be an empty wave: list them increasing", YamlTree.line(item)));
            }
            if (size != null) {
                sizes.add(size);
            }
        }
        if (sizes.isEmpty() || !sizes.get(sizes.size() - 1).equals(Amount.parse("100%"))) {
            errors.add(new FieldError("waves.sizes", "must end with 100%, so the rollout reaches every host",
                    YamlTree.line(node)));
        }
        return sizes;
    }

    /** {@code healthGate: [fio-baseline, kernel-io-errors]}: each signal once, each one the gate can read. */
    private List<String> gateSignals(Node node) {
        List<String> seen = new ArrayList<>();
        return scalars(node, "waves.healthGate", text -> {
            if (!GATE_SIGNALS.contains(text)) {
                throw new IllegalArgumentException("'" + text + "' is not a signal the health gate reads: "
                        + String.join(", ", GATE_SIGNALS));
            }
            if (seen.contains(text)) {
                throw new IllegalArgumentException("'" + text + "' is named twice");
            }
            seen.add(text);
            return text;
        });
    }

    /** A list of scalars, each checked by {@code parser}; a bad one is reported at {@code field[i]}. */
    private List<String> scalars(Node node, String field, Function<String, String> parser) {
        List<Node> items = guard(() -> YamlTree.sequence(node, field));
        List<String> values = new ArrayList<>();
        for (int i = 0; items != null && i < items.size(); i++) {
            String at = field + "[" + i + "]";
            Node item = items.get(i);
            String value = guard(() -> InvalidInputException.forField(at, () -> parser.apply(YamlTree.scalar(item, at))));
            if (value != null) {
                values.add(value);
            }
        }
        return values;
    }

    private static String labelKey(String text) {
        try {
            Labels.parse("label", Map.of(text, ""));
        } catch (InvalidInputException e) {
            throw new IllegalArgumentException("'" + text + "' is not a label key");
        }
        return text;
    }

    private static boolean bool(String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("'" + text + "' is not true or false");
        };
    }

    private static int bounded(String text, int min, int max) {
        if (!text.matches("[0-9]{1,7}") || Integer.parseInt(text) < min || Integer.parseInt(text) > max) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number from " + min + " to " + max);
        }
        return Integer.parseInt(text);
    }

    private Map<String, Node> fields(Node node, String at, Set<String> allowed) {
        Map<String, Node> fields = guard(() -> YamlTree.mapping(node, at.isEmpty() ? "body" : at));
        if (fields == null) {
            return Map.of();
        }
        fields.forEach((key, value) -> {
            if (!allowed.contains(key)) {
                errors.add(new FieldError(at.isEmpty() ? key : at + "." + key, "is not a field here (allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")", YamlTree.line(value)));
            }
        });
        return fields;
    }

    private <T> T value(Map<String, Node> fields, String key, String field, Function<String, T> parser) {
        Node node = fields.get(key);
        if (node == null || YamlTree.isNull(node)) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        return parse(node, field, parser);
    }

    private <T> T optional(Map<String, Node> fields, String key, String field, String defaultValue, Function<String, T> parser) {
        Node node = fields.get(key);
        if (node == null || YamlTree.isNull(node)) {
            return defaultValue == null ? null : parser.apply(defaultValue);
        }
        return parse(node, field, parser);
    }

    private <T> T parse(Node node, String field, Function<String, T> parser) {
        return guard(() -> {
            String text = YamlTree.scalar(node, field);
            try {
                return parser.apply(text);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(List.of(new FieldError(field, e.getMessage(), YamlTree.line(node))));
            }
        });
    }

    private <T> T guard(java.util.function.Supplier<T> parser) {
        return errors.take(parser);
    }
}
