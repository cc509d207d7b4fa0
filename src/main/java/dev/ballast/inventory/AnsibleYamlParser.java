package dev.ballast.inventory;

import dev.ballast.document.YamlTree;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.nodes.Node;

import dev.ballast.problem.InvalidInputException;

/**
 * Reads Ansible's YAML inventory: groups (under {@code all} or at the top) with {@code hosts},
 * {@code vars} and {@code children}; host entries may carry their own variables and use ranges.
 */
final class AnsibleYamlParser {

    private AnsibleYamlParser() {
    }

    static List<ImportedHost> parse(Node root, ImportNotes notes) {
        AnsibleInventory inventory = new AnsibleInventory();
        for (Map.Entry<String, Node> top : YamlTree.mapping(root, "inventory").entrySet()) {
            collect(inventory, AnsibleInventory.ALL, top.getKey(), top.getValue());
        }
        return inventory.resolve(notes);
    }

    private static void collect(AnsibleInventory inventory, String parent, String group, Node node) {
        if (!AnsibleInventory.ALL.equals(group)) {
            try {
                inventory.child(parent, group);
            } catch (IllegalArgumentException e) {
                throw YamlTree.error(parent + ".children", e.getMessage(), node);
            }
        }
        if (YamlTree.isNull(node)) {
            return;
        }
        try {
            for (Map.Entry<String, Node> section : YamlTree.mapping(node, group).entrySet()) {
                Node value = section.getValue();
                if (YamlTree.isNull(value)) {
                    continue;
                }
                switch (section.getKey()) {
                    case "hosts" -> YamlTree.mapping(value, group + ".hosts").forEach((pattern, vars) ->
                            inventory.hosts(group, pattern, variables(vars, group + ".hosts." + pattern), YamlTree.line(vars)));
                    case "vars" -> YamlTree.mapping(value, group + ".vars").forEach((key, var) ->
                            inventory.groupVar(group, key, scalarOrNull(var), YamlTree.line(var)));
                    case "children" -> YamlTree.mapping(value, group + ".children").forEach((child, childNode) ->
                            collect(inventory, group, child, childNode));
                    default -> throw YamlTree.error(group, "unknown key '" + section.getKey()
                            + "' (a group has hosts, vars and children)", value);
                }
            }
        } catch (InvalidInputException e) {
            e.errors().forEach(inventory.errors::add);
        }
    }

    /** Lists and mappings are valid Ansible values but no labels: null marks them for the ignored list. */
    private static String scalarOrNull(Node node) {
        return node instanceof org.yaml.snakeyaml.nodes.ScalarNode scalar ? scalar.getValue() : null;
    }

    private static Map<String, String> variables(Node node, String field) {
        Map<String, String> vars = new LinkedHashMap<>();
        if (!YamlTree.isNull(node)) {
            YamlTree.mapping(node, field).forEach((key, value) -> vars.put(key, scalarOrNull(value)));
        }
        return vars;
    }
}
