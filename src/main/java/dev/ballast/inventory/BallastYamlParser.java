package dev.ballast.inventory;

import dev.ballast.remote.PinnedHostKey;
import dev.ballast.input.Check;
import dev.ballast.document.YamlTree;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.nodes.Node;

import dev.ballast.identity.IdentityName;
import dev.ballast.problem.FieldError;
import dev.ballast.problem.FieldErrors;
import dev.ballast.problem.InvalidInputException;

/**
 * Reads Ballast's own inventory YAML: optional {@code defaults} and a list of {@code hosts}, each with
 * the fields of the hosts API. Host labels are added to the default labels.
 */
final class BallastYamlParser {

    private static final Set<String> TOP = Set.of("defaults", "hosts");
    private static final Set<String> DEFAULTS = Set.of("sshPort", "sshUser", "labels", "identity");
    private static final Set<String> HOST = Set.of("name", "address", "sshPort", "sshUser", "labels", "hostKey",
            "trustOnFirstUse", "identity", "maintenance", "notes");

    private BallastYamlParser() {
    }

    static List<ImportedHost> parse(Node root) {
        FieldErrors errors = new FieldErrors();
        Map<String, Node> top = fields(root, "inventory", TOP);
        Map<String, Node> defaults = top.containsKey("defaults") ? fields(top.get("defaults"), "defaults", DEFAULTS) : Map.of();
        Node hostsNode = top.get("hosts");
        if (hostsNode == null) {
            throw YamlTree.error("hosts", "is required (a list of hosts)", root);
        }
        List<ImportedHost> hosts = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        List<Node> entries = YamlTree.sequence(hostsNode, "hosts");
        for (int i = 0; i < entries.size(); i++) {
            Node entry = entries.get(i);
            try {
                ImportedHost host = host(entry, "hosts[" + i + "]", defaults);
                Integer first = seen.putIfAbsent(host.name().value(), host.line());
                if (first != null) {
                    errors.add(new FieldError("name", "host '" + host.name() + "' is already defined at line " + first, host.line()));
                }
                hosts.add(host);
            } catch (InvalidInputException e) {
                e.errors().forEach(errors::add);
            }
        }
        errors.throwIfAny();
        return hosts;
    }

    private static ImportedHost host(Node node, String path, Map<String, Node> defaults) {
        int line = YamlTree.line(node);
        Map<String, Node> fields = fields(node, path, HOST);
        FieldErrors errors = new FieldErrors();
        HostName name = errors.take(() -> HostName.parse("name", text(fields, "name")));
        HostAddress address = errors.take(() -> HostAddress.parse("address", text(fields, "address")));
        String portText = text(fields, "sshPort", defaults);
        SshPort port = portText == null ? SshPort.DEFAULT : errors.take(() -> SshPort.parse("sshPort", portText));
        String userText = text(fields, "sshUser", defaults);
        SshUser user = userText == null ? SshUser.DEFAULT : errors.take(() -> SshUser.parse("sshUser", userText));
        Map<String, String> labelValues = new LinkedHashMap<>(stringMap(defaults.get("labels"), "defaults.labels"));
        labelValues.putAll(stringMap(fields.get("labels"), "labels"));
        Labels labels = errors.take(() -> Labels.parse("labels", labelValues));
        String keyText = text(fields, "hostKey");
        PinnedHostKey hostKey = keyText == null ? null : errors.take(() -> PinnedHostKey.parse("hostKey", keyText));
        String identityText = text(fields, "identity", defaults);
        IdentityName identity = identityText == null ? null : errors.take(() -> IdentityName.parse("identity", identityText));
        String maintenanceText = text(fields, "maintenance");
        Boolean maintenance = maintenanceText == null ? null : errors.take(() -> bool("maintenance", maintenanceText));
        String notes = text(fields, "notes");
        if (notes != null && notes.length() > HostRequest.MAX_NOTES) {
            errors.add(new FieldError("notes", "is longer than " + HostRequest.MAX_NOTES + " characters"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors.list().stream().map(e -> e.atLine(lineOf(fields, e.field(), line))).toList());
        }
        String trustText = text(fields, "trustOnFirstUse");
        Boolean trustOnFirstUse = trustText == null ? null : errors.take(() -> bool("trustOnFirstUse", trustText));
        return new ImportedHost(line, name, address, port, user, labels, hostKey, trustOnFirstUse, identity, maintenance, notes);
    }

    private static Map<String, Node> fields(Node node, String path, Set<String> allowed) {
        Map<String, Node> fields = YamlTree.mapping(node, path);
        for (Map.Entry<String, Node> field : fields.entrySet()) {
            if (!allowed.contains(field.getKey())) {
                throw YamlTree.error(path, "unknown key '" + field.getKey() + "' (expected one of "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")", field.getValue());
            }
        }
        return fields;
    }

    private static String text(Map<String, Node> fields, String key) {
        Node node = fields.get(key);
        return YamlTree.isNull(node) ? null : YamlTree.scalar(node, key);
    }

    private static String text(Map<String, Node> fields, String key, Map<String, Node> defaults) {
        String own = text(fields, key);
        return own != null ? own : text(defaults, key);
    }

    private static Map<String, String> stringMap(Node node, String field) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!YamlTree.isNull(node)) {
            YamlTree.mapping(node, field).forEach((k, v) -> values.put(k, YamlTree.isNull(v) ? "" : YamlTree.scalar(v, field + "." + k)));
        }
        return values;
    }

    private static Boolean bool(String field, String raw) {
        return switch (raw) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw InvalidInputException.of(field, Check.quoted(raw) + " is not true or false");
        };
    }

    private static int lineOf(Map<String, Node> fields, String field, int hostLine) {
        String key = field.contains(".") ? field.substring(0, field.indexOf('.')) : field;
        Node node = fields.get(key);
        return node == null ? hostLine : YamlTree.line(node);
    }
}
