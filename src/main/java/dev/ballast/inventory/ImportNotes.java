package dev.ballast.inventory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.ballast.problem.FieldError;

/**
 * What reading an inventory noticed besides its hosts: definitions Ballast does not keep, per host, and
 * definitions that make Ballast reach a host otherwise than Ansible does. A definition that applies to
 * many hosts (a group's variable) is named once, with the hosts it applies to. Never holds a value.
 */
final class ImportNotes {

    private final Set<FieldError> ignored = new LinkedHashSet<>();
    private final Map<String, Set<String>> ignoredByHost = new HashMap<>();
    private final Map<FieldError, Set<String>> warnings = new LinkedHashMap<>();

    void ignore(String host, FieldError definition) {
        ignored.add(definition);
        ignoredByHost.computeIfAbsent(host, h -> new LinkedHashSet<>()).add(definition.field());
    }

    /** Ignored too: Ballast keeps nothing of a definition it warns about. */
    void warn(String host, FieldError definition) {
        ignore(host, definition);
        warnings.computeIfAbsent(definition, d -> new LinkedHashSet<>()).add(host);
    }

    List<FieldError> ignored() {
        return List.copyOf(ignored);
    }

    /** The names of the variables Ballast does not keep for this host. */
    List<String> ignoredBy(String host) {
        return List.copyOf(ignoredByHost.getOrDefault(host, Set.of()));
    }

    List<ImportReport.Warning> warnings() {
        List<ImportReport.Warning> list = new ArrayList<>();
        warnings.forEach((definition, hosts) -> list.add(new ImportReport.Warning(definition.field(), definition.message(),
                definition.line(), List.copyOf(hosts))));
        return list;
    }
}
