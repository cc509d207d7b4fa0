package dev.ballast.inventory;

import dev.ballast.input.Check;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.Set;
import java.util.TreeMap;

import dev.ballast.problem.FieldError;
import dev.ballast.problem.FieldErrors;

/**
 * An Ansible inventory as both its INI and YAML forms describe it: groups with hosts, variables and
 * child groups. {@link #resolve} turns it into Ballast hosts the way Ansible merges variables (all, then
 * groups from parent to child, then the host) and makes every group a host belongs to a label with an
 * empty value, so {@code [hypervisors]} is selected by {@code hypervisors}.
 */
final class AnsibleInventory {

    /** Variables whose names say they hold a secret: never made labels, which every viewer reads. */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i)pass|secret|token|credential|private|vault");

    static final String ALL = "all";
    static final String UNGROUPED = "ungrouped";

    /** A variable's value and the line that set it. */
    record Var(String value, int line) {
    }

    /** Ansible's default {@code ansible_group_priority}. */
    private static final int DEFAULT_PRIORITY = 1;

    private static final class Group {
        final Map<String, Var> vars = new LinkedHashMap<>();
        int priority = DEFAULT_PRIORITY;
        final Set<String> children = new HashSet<>();
        final Set<String> hosts = new HashSet<>();
    }

    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, Map<String, Var>> hostVars = new LinkedHashMap<>();
    private final Map<String, Integer> hostLines = new LinkedHashMap<>();
    final FieldErrors errors = new FieldErrors();

    AnsibleInventory() {
        group(ALL);
    }

    void group(String name) {
        groups.computeIfAbsent(name, n -> new Group());
    }

    /** {@code ansible_group_priority} is no variable: Ansible orders groups of one depth by it. */
    void groupVar(String group, String key, String value, int line) {
        Group target = groups.computeIfAbsent(group, n -> new Group());
        if (!"ansible_group_priority".equals(key)) {
            target.vars.put(key, new Var(value, line));
        } else if (value == null || !value.matches("-?[0-9]{1,9}")) {
            errors.add(new FieldError(key, "is not a whole number", line));
        } else {
            target.priority = Integer.parseInt(value);
        }
    }

    /** Refuses a cycle, as Ansible does: silently cut, it gave hosts the variables of a group they are not in. */
    void child(String parent, String child) {
        if (parent.equals(child) || descendants(child).contains(parent)) {
            throw new IllegalArgumentException("group " + Check.quoted(child) + " as a child of " + Check.quoted(parent)
                    + " makes a cycle (" + Check.quoted(parent) + " is " + (parent.equals(child) ? "itself" : "already under it")
                    + "); Ansible refuses it too");
        }
        group(child);
        groups.computeIfAbsent(parent, n -> new Group()).children.add(child);
    }

    private Set<String> descendants(String group) {
        Set<String> found = new HashSet<>();
        List<String> todo = new ArrayList<>(List.of(group));
        while (!todo.isEmpty()) {
            Group next = groups.get(todo.remove(todo.size() - 1));
            if (next != null) {
                next.children.stream().filter(found::add).forEach(todo::add);
            }
        }
        return found;
    }

    /** Adds every host of a pattern such as {@code hv[01:50].dc1} to a group, with the host's own variables. */
    void hosts(String group, String pattern, Map<String, String> vars, int line) {
        List<String> names;
        try {
            names = HostPattern.expand(pattern);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("host", e.getMessage(), line));
            return;
        }
        for (String name : names) {
            hostLines.putIfAbsent(name, line);
            Map<String, Var> own = hostVars.computeIfAbsent(name, n -> new LinkedHashMap<>());
            vars.forEach((k, v) -> own.put(k, new Var(v, line)));
            groups.computeIfAbsent(group, n -> new Group()).hosts.add(name);
        }
    }

    /** Ballast hosts in the order they first appear, plus the variables that could not become labels. */
    List<ImportedHost> resolve(ImportNotes notes) {
        Map<String, Integer> depth = depths();
        Map<String, Set<String>> parents = parents();
        List<ImportedHost> result = new ArrayList<>();
        List<String> names = new ArrayList<>(hostLines.keySet());
        names.sort(Comparator.comparingInt(hostLines::get));
        for (String name : names) {
            Set<String> memberOf = ancestors(name, parents);
            Map<String, Var> vars = new LinkedHashMap<>(groups.get(ALL).vars);
            // Ansible's order: by depth, then ansible_group_priority, then name; the last one wins.
            memberOf.stream().filter(g -> !ALL.equals(g))
                    .sorted(Comparator.comparingInt((String g) -> depth.getOrDefault(g, 1))
                            .thenComparingInt(g -> groups.get(g).priority).thenComparing(g -> g))
                    .forEach(g -> vars.putAll(groups.get(g).vars));
            vars.putAll(hostVars.get(name));
            ImportedHost host = toHost(name, hostLines.get(name), memberOf, vars, notes);
            if (host != null) {
                result.add(host);
            }
        }
        errors.throwIfAny();
        return result;
    }

    private ImportedHost toHost(String name, int line, Set<String> memberOf, Map<String, Var> vars, ImportNotes notes) {
        Map<String, String> labels = new TreeMap<>();
        for (String group : memberOf) {
            if (ALL.equals(group) || UNGROUPED.equals(group)) {
                continue;
            }
            try {
                Labels.checkKey(group);
                labels.put(group, "");
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("group", "group " + Check.quoted(group) + " cannot be a label: " + e.getMessage(), line));
            }
        }
        for (Map.Entry<String, Var> entry : vars.entrySet()) {
            String key = entry.getKey();
            Var var = entry.getValue();
            if (key.startsWith("ansible_")) {
                continue; // Ansible's own: AnsibleVariables reads them
            }
            if (var.value() == null) {
                notes.ignore(name, new FieldError(key, "not imported as a label: its value is a list or mapping", var.line()));
                continue;
            }
            if (SECRET_NAME.matcher(key).find()) {
                notes.ignore(name, new FieldError(key, "not imported as a label: its name says it holds a secret, and labels "
                        + "are shown to every viewer", var.line()));
                continue;
            }
            try {
                Labels.checkKey(key);
            } catch (IllegalArgumentException e) {
                notes.ignore(name, new FieldError(key, "not imported as a label: " + e.getMessage(), var.line()));
                continue;
            }
            try {
                Labels.checkValue(var.value());
                labels.put(key, var.value());
            } catch (IllegalArgumentException e) {
                // The value is not repeated: an inventory's variables may hold what no answer should show.
                notes.ignore(name, new FieldError(key, "not imported as a label: its value is not a label value (empty, or "
                        + "1 to 63 letters, digits, '.', '-' or '_', starting and ending with a letter or digit)", var.line()));
            }
        }
        AnsibleVariables.note(name, vars, notes);
        String addressKey = AnsibleVariables.connectionKey(vars, "ansible_host");
        String portKey = AnsibleVariables.connectionKey(vars, "ansible_port");
        String userKey = AnsibleVariables.connectionKey(vars, "ansible_user");
        FieldErrors hostErrors = new FieldErrors();
        HostName hostName = hostErrors.take(() -> HostName.parse("host", name));
        // Without ansible_host, Ansible connects to the inventory name itself.
        HostAddress hostAddress = hostErrors.take(() -> HostAddress.parse(addressKey == null ? "host" : addressKey,
                addressKey == null ? name : vars.get(addressKey).value()));
        // Neither name: the inventory leaves port and user to ssh, and Ballast keeps what it has (or its default).
        SshPort sshPort = portKey == null ? null : hostErrors.take(() -> SshPort.parse(portKey, vars.get(portKey).value()));
        SshUser sshUser = userKey == null ? null : hostErrors.take(() -> SshUser.parse(userKey, vars.get(userKey).value()));
        Labels hostLabels = hostErrors.take(() -> Labels.parse("labels", labels));
        if (!hostErrors.isEmpty()) {
            hostErrors.list().forEach(e -> errors.add(e.atLine(vars.containsKey(e.field()) ? vars.get(e.field()).line() : line)));
            return null;
        }
        return new ImportedHost(line, hostName, hostAddress, sshPort, sshUser, hostLabels, null, null, null, null, null, null);
    }

    /** Every group a host is in: those that list it and all their ancestors. */
    private Set<String> ancestors(String host, Map<String, Set<String>> parents) {
        Set<String> found = new HashSet<>();
        List<String> todo = new ArrayList<>();
        groups.forEach((name, group) -> {
            if (group.hosts.contains(host)) {
                todo.add(name);
            }
        });
        while (!todo.isEmpty()) {
            String group = todo.remove(todo.size() - 1);
            if (found.add(group)) {
                todo.addAll(parents.getOrDefault(group, Set.of()));
            }
        }
        return found;
    }

    private Map<String, Set<String>> parents() {
        Map<String, Set<String>> parents = new HashMap<>();
        groups.forEach((name, group) -> group.children.forEach(c -> parents.computeIfAbsent(c, k -> new HashSet<>()).add(name)));
        return parents;
    }

    /**
     * Each group's depth: its longest path from a top group, as Ansible counts it, so a group listed under
     * {@code dc2} and under {@code dc2}'s child {@code compute} is deeper than {@code compute} and its
     * variables win. A child's variables override its parent's. There are no cycles: {@link #child} refuses them.
     */
    private Map<String, Integer> depths() {
        Map<String, Integer> depth = new HashMap<>();
        Set<String> hasParent = new HashSet<>();
        groups.values().forEach(g -> hasParent.addAll(g.children));
        List<String> level = new ArrayList<>(groups.keySet().stream().filter(g -> !hasParent.contains(g)).toList());
        // Level by level from the top groups: a group met again on a longer path takes the deeper level. The
        // walk ends after the longest path, as there is no cycle.
        for (int d = 0; !level.isEmpty() && d <= groups.size(); d++) {
            Set<String> next = new java.util.LinkedHashSet<>();
            for (String group : level) {
                depth.put(group, d);
                next.addAll(groups.get(group).children);
            }
            level = new ArrayList<>(next);
        }
        return depth;
    }
}
