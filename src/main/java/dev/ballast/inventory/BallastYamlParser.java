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
import java.util.function.BiFunction;
import java.util.function.Supplier;

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
        Fields defaults = new Fields(top.containsKey("defaults") ? fields(top.get("defaults"), "defaults", DEFAULTS) : Map.of(),
                "defaults", YamlTree.line(root));
        Defaults given = new Defaults(defaults.optional("sshPort", SshPort::parse), defaults.optional("sshUser", SshUser::parse),
                defaults.optional("identity", IdentityName::parse), defaults.given("identity"), defaults.labels());
        defaults.errors.list().forEach(errors::add);
        Node hostsNode = top.get("hosts");
        if (hostsNode == null) {
            throw YamlTree.error("hosts", "is required (a list of hosts)", root);
        }
        List<ImportedHost> hosts = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        List<Node> entries = YamlTree.sequence(hostsNode, "hosts");
        for (int i = 0; i < entries.size(); i++) {
            String path = "hosts[" + i + "]";
            try {
                ImportedHost host = host(entries.get(i), path, given);
                Integer first = seen.putIfAbsent(host.name().value(), host.line());
                if (first != null) {
                    errors.add(new FieldError(path + ".name", "host '" + host.name() + "' is already defined at line " + first,
                            host.line()));
                }
                hosts.add(host);
            } catch (InvalidInputException e) {
                e.errors().forEach(errors::add);
            }
        }
        errors.throwIfAny();
        return hosts;
    }

    /** The defaults section, read once: a bad default is one error naming {@code defaults.*}, not one per host. */
    private record Defaults(SshPort port, SshUser user, IdentityName identity, ImportedHost.Given identityGiven, Labels labels) {
    }

    private static ImportedHost host(Node node, String path, Defaults defaults) {
        Fields fields = new Fields(fields(node, path, HOST), path, YamlTree.line(node));
        HostName name = fields.required("name", HostName::parse);
        HostAddress address = fields.required("address", HostAddress::parse);
        SshPort own = fields.optional("sshPort", SshPort::parse);
        SshPort port = own != null ? own : defaults.port();
        SshUser ownUser = fields.optional("sshUser", SshUser::parse);
        SshUser user = ownUser != null ? ownUser : defaults.user();
        Labels labels = labels(fields, defaults.labels());
        PinnedHostKey hostKey = fields.optional("hostKey", PinnedHostKey::parse);
        IdentityName ownIdentity = fields.optional("identity", IdentityName::parse);
        IdentityName identity = ownIdentity != null ? ownIdentity : defaults.identity();
        ImportedHost.Given identityGiven = ownIdentity != null ? fields.given("identity") : identity != null ? defaults.identityGiven() : null;
        Boolean maintenance = fields.optional("maintenance", BallastYamlParser::bool);
        Boolean trustOnFirstUse = fields.optional("trustOnFirstUse", BallastYamlParser::bool);
        String notes = fields.optional("notes", (field, text) -> {
            if (text.length() > HostRequest.MAX_NOTES) {
                throw InvalidInputException.of(field, "is longer than " + HostRequest.MAX_NOTES + " characters");
            }
            return text;
        });
        fields.errors.throwIfAny();
        return new ImportedHost(fields.line, name, address, port, user, labels, hostKey, trustOnFirstUse, identity, identityGiven,
                maintenance, notes);
    }

    /**
     * The host's labels added to the default ones, or null where neither gives any: the stored labels stay.
     * {@code labels: {}} gives none, so it clears them (but for the defaults').
     */
    private static Labels labels(Fields fields, Labels defaults) {
        Labels own = fields.labels();
        if (own == null && defaults == null) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>(defaults == null ? Map.of() : defaults.values());
        values.putAll(own == null ? Map.of() : own.values());
        return fields.take(fields.nodes.get("labels"), () -> Labels.parse(fields.path + ".labels", values));
    }

    /** One mapping of the file (a host, the defaults) read field by field, each error naming {@code path.field} and its line. */
    private static final class Fields {
        final Map<String, Node> nodes;
        final String path;
        final int line;
        final FieldErrors errors = new FieldErrors();

        Fields(Map<String, Node> nodes, String path, int line) {
            this.nodes = nodes;
            this.path = path;
            this.line = line;
        }

        /** The field's value, or null where the file does not give it. */
        <T> T optional(String key, BiFunction<String, String, T> parser) {
            return YamlTree.isNull(nodes.get(key)) ? null : required(key, parser);
        }

        /** The field's value; a missing one is an error (each parser refuses null). */
        <T> T required(String key, BiFunction<String, String, T> parser) {
            Node node = nodes.get(key);
            String field = path + "." + key;
            return take(node, () -> parser.apply(field, YamlTree.isNull(node) ? null : YamlTree.scalar(node, field)));
        }

        /** Where the file gives the field, to name it in an error found later (after parsing). */
        ImportedHost.Given given(String key) {
            Node node = nodes.get(key);
            return new ImportedHost.Given(path + "." + key, node == null ? line : YamlTree.line(node));
        }

        /** The labels as given, validated, or null where there are none. */
        Labels labels() {
            Node node = nodes.get("labels");
            if (YamlTree.isNull(node)) {
                return null;
            }
            String field = path + ".labels";
            return take(node, () -> {
                Map<String, String> values = new LinkedHashMap<>();
                YamlTree.mapping(node, field).forEach((k, v) -> values.put(k, YamlTree.isNull(v) ? "" : YamlTree.scalar(v, field + "." + k)));
                return Labels.parse(field, values);
            });
        }

        /** Runs a parser; its errors are recorded at the node's line (the mapping's where the node is missing). */
        <T> T take(Node node, Supplier<T> parser) {
            int at = node == null ? line : YamlTree.line(node);
            try {
                return parser.get();
            } catch (InvalidInputException e) {
                e.errors().forEach(error -> errors.add(error.line() == null ? error.atLine(at) : error));
                return null;
            }
        }
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

    private static Boolean bool(String field, String raw) {
        return switch (raw) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw InvalidInputException.of(field, Check.quoted(raw) + " is not true or false");
        };
    }
}
