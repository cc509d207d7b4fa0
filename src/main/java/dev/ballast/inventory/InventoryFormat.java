package dev.ballast.inventory;

import dev.ballast.input.Check;
import dev.ballast.document.YamlTree;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

import dev.ballast.problem.FieldError;
import dev.ballast.problem.InvalidInputException;

/** The inventory file formats Ballast imports, and how each is read. */
public enum InventoryFormat {
    BALLAST("ballast"), ANSIBLE_INI("ansible-ini"), ANSIBLE_YAML("ansible-yaml");

    private final String id;

    InventoryFormat(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** A format by its id, or null for "detect it". */
    public static InventoryFormat parse(String field, String raw) {
        if (raw == null || raw.isEmpty() || raw.equals("auto")) {
            return null;
        }
        return Arrays.stream(values()).filter(f -> f.id.equals(raw)).findFirst()
                .orElseThrow(() -> InvalidInputException.of(field, Check.quoted(raw) + " is not a format (one of auto, "
                        + Arrays.stream(values()).map(InventoryFormat::id).collect(Collectors.joining(", ")) + ")"));
    }

    /**
     * Parsed hosts of a file in this format, or of the detected one: a YAML mapping with a {@code hosts}
     * list is Ballast's, any other YAML mapping Ansible's, anything else Ansible INI.
     */
    static Parsed read(InventoryFormat format, String text) {
        ImportNotes notes = new ImportNotes();
        if (format == ANSIBLE_INI || format == null && !looksLikeYamlMapping(text)) {
            return new Parsed(ANSIBLE_INI, AnsibleIniParser.parse(text, notes), notes);
        }
        Node root = YamlTree.parse(text);
        if (YamlTree.isNull(root)) {
            throw new InvalidInputException(List.of(new FieldError("body", "the inventory is empty")));
        }
        InventoryFormat yamlFormat = format != null ? format : isBallast(root) ? BALLAST : ANSIBLE_YAML;
        List<ImportedHost> hosts = yamlFormat == BALLAST ? BallastYamlParser.parse(root) : AnsibleYamlParser.parse(root, notes);
        return new Parsed(yamlFormat, hosts, notes);
    }

    record Parsed(InventoryFormat format, List<ImportedHost> hosts, ImportNotes notes) {
    }

    private static boolean looksLikeYamlMapping(String text) {
        try {
            return YamlTree.parse(text) instanceof MappingNode;
        } catch (InvalidInputException e) {
            return false;
        }
    }

    private static boolean isBallast(Node root) {
        return root instanceof MappingNode mapping && mapping.getValue().stream().anyMatch(t ->
                "hosts".equals(((org.yaml.snakeyaml.nodes.ScalarNode) t.getKeyNode()).getValue())
                        && t.getValueNode() instanceof org.yaml.snakeyaml.nodes.SequenceNode);
    }
}
