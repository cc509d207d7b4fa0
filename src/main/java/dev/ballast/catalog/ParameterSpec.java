package dev.ballast.catalog;

import java.util.List;

/**
 * One parameter of a step or check as {@code GET /api/steps} shows it: its type, what values it takes
 * (a pattern or a list), whether it is required and its default.
 */
public record ParameterSpec(String name, String type, String description, boolean required, String defaultValue,
        String pattern, List<String> allowed) {

    public static ParameterSpec required(String name, String type, String description, String pattern) {
        return new ParameterSpec(name, type, description, true, null, pattern, List.of());
    }

    public static ParameterSpec choice(String name, String description, String defaultValue, List<String> allowed) {
        return new ParameterSpec(name, "enum", description, defaultValue == null, defaultValue, null, allowed);
    }

    public static ParameterSpec optional(String name, String type, String description, String defaultValue,
            String pattern) {
        return new ParameterSpec(name, type, description, false, defaultValue, pattern, List.of());
    }
}
