package dev.ballast.inventory;

import dev.ballast.input.Check;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    static final String ALL = "all";
    static final String UNGROUPED = "ungrouped";

    /** A variable's value and the line that set it. */
    record Var(String value, int line) {
    }

    private static final class Group {
        final Map<String, Var> vars = new LinkedHashMap<>();
        final Set<String> children = new HashSet<>();
        final Set<String> hosts = new HashSet<>();
    }

    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, Map<String, Var>> hostVars = new LinkedHashMap<>();
    private final Map<String, Integer> hostLines = new HashMap<>();
    final FieldErrors errors = new FieldErrors();

    AnsibleInventory() {
        group(ALL);
    }

    void group(String name) {
        groups.computeIfAbsent(name, n -> new Group());
    }

    void groupVar(String group, String key, String value, int line) {
        groups.computeIfAbsent(group, n -> new Group()).vars.put(key, new Var(value, line));
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
    List<ImportedHost> resolve(List<FieldError> ignored) {
        Map<String, Integer> depth = depths();
        Map<String, Set<String>> parents = parents();
        List<ImportedHost> result = new ArrayList<>();
        List<String> names = new ArrayList<>(hostLines.keySet());
        names.sort(Comparator.comparingInt(hostLines::get));
        Set<FieldError> skipped = new java.util.LinkedHashSet<>();
        for (String name : names) {
            Set<String> memberOf = ancestors(name, parents);
            Map<String, Var> vars = new LinkedHashMap<>(groups.get(ALL).vars);
            memberOf.stream().filter(g -> !ALL.equals(g))
                    .sorted(Comparator.comparingInt((String g) -> depth.getOrDefault(g, 1)).thenComparing(g -> g))
                    .forEach(g -> vars.putAll(groups.get(g).vars));
            vars.putAll(hostVars.get(name));
            ImportedHost host = toHost(name, hostLines.get(name), memberOf, vars, skipped);
            if (host != null) {
                result.add(host);
            }
        }
        ignored.addAll(skipped);
        errors.throwIfAny();
        return result;
    }

    private ImportedHost toHost(String name, int line, Set<String> memberOf, Map<String, Var> vars, Set<FieldError> skipped) {
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
                continue; // connection settings are read below; interpreter and the like Ballast has no use for
            }
            if (var.value() == null) {
                skipped.add(new FieldError(key, "not imported as a label: its value is a list or mapping", var.line()));
                continue;
            }
            try {
                Labels.checkKey(key);
                Labels.checkValue(var.value());
                labels.put(key, var.value());
            } catch (IllegalArgumentException e) {
                skipped.add(new FieldError(key, "not imported as a label: " + e.getMessage(), var.line()));
            }
        }
        Var address = first(vars, "ansible_host", "ansible_ssh_host");
        Var port = first(vars, "ansible_port", "ansible_ssh_port");
        Var user = first(vars, "ansible_user", "ansible_ssh_user");
        FieldErrors hostErrors = new FieldErrors();
        HostName hostName = hostErrors.take(() -> HostName.parse("host", name));
        // Without ansible_host, Ansible connects to the inventory name itself.
        HostAddress hostAddress = hostErrors.take(() -> HostAddress.parse("ansible_host", address == null ? name : address.value()));
        SshPort sshPort = port == null ? SshPort.DEFAULT : hostErrors.take(() -> SshPort.parse("ansible_port", port.value()));
        SshUser sshUser = user == null ? SshUser.DEFAULT : hostErrors.take(() -> SshUser.parse("ansible_user", user.value()));
        Labels hostLabels = hostErrors.take(() -> Labels.parse("labels", labels));
        if (!hostErrors.isEmpty()) {
            Map<String, Var> byField = new HashMap<>();
            byField.put("ansible_host", address);
            byField.put("ansible_port", port);
            byField.put("ansible_user", user);
            hostErrors.list().forEach(e -> errors.add(e.atLine(byField.get(e.field()) == null ? line : byField.get(e.field()).line())));
            return null;
        }
        return new ImportedHost(line, hostName, hostAddress, sshPort, sshUser, hostLabels, null, null, null, null, null);
    }

    private static Var first(Map<String, Var> vars, String... keys) {
        for (String key : keys) {
            if (vars.containsKey(key)) {
                return vars.get(key);
            }
        }
        return null;
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

    /** Distance from {@code all}; a child's variables override its parent's. There are no cycles: {@link #child} refuses them. */
    private Map<String, Integer> depths() {
        Map<String, Integer> depth = new HashMap<>();
        Set<String> hasParent = new HashSet<>();
        groups.values().forEach(g -> hasParent.addAll(g.children));
        List<String> level = new ArrayList<>(groups.keySet().stream().filter(g -> !hasParent.contains(g)).toList());
        int d = 0;
        while (!level.isEmpty()) {
            List<String> next = new ArrayList<>();
            for (String group : level) {
                if (depth.putIfAbsent(group, d) == null) {
                    next.addAll(groups.get(group).children);
                }
            }
            level = next;
            d++;
        }
        return depth;
    }
}
