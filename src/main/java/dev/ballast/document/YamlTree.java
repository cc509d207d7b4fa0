package dev.ballast.document;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import dev.ballast.problem.InvalidInputException;
import dev.ballast.problem.FieldError;

/**
 * YAML (and so JSON) read as a tree of nodes that remember their line, so every error in an uploaded
 * document (an inventory, a plan) can name it. Nothing is turned into objects by tags, aliases are capped (no
 * "billion laughs"), and a key given twice in a mapping is an error naming both lines ({@link #mapping}: SnakeYAML
 * checks duplicates only when it constructs objects, which this tree never does). The work of reading is capped
 * too: the document's length, its nesting and its aliases.
 */
public final class YamlTree {

    /**
     * SnakeYAML reads slowly: a 4 MB document (the body limit) took 8 to 16 s of a request thread, and a long
     * scalar costs more than its length. An inventory of 10,000 hosts in Ballast YAML is about 1 MB.
     */
    static final int MAX_CHARACTERS = 1 << 20;
    static final int MAX_DEPTH = 32;
    static final int MAX_ALIASES = 20;

    private YamlTree() {
    }

    /** The document's root node, or null for an empty document. */
    public static Node parse(String text) {
        if (text.length() > MAX_CHARACTERS) {
            throw new InvalidInputException(List.of(new FieldError("yaml", "has " + text.length()
                    + " characters; a YAML document may have at most " + MAX_CHARACTERS + " characters", 1)));
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_CHARACTERS);
        try {
            return new Yaml(new SafeConstructor(options), new org.yaml.snakeyaml.representer.Representer(
                    new org.yaml.snakeyaml.DumperOptions()), new org.yaml.snakeyaml.DumperOptions(), options)
                    .compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 1;
            throw new InvalidInputException(List.of(new FieldError("yaml", e.getProblem(), line)));
        } catch (YAMLException e) {
            throw new InvalidInputException(List.of(new FieldError("yaml", e.getMessage(), 1)));
        }
    }

    public static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    public static boolean isNull(Node node) {
        return node == null || node instanceof ScalarNode s && "tag:yaml.org,2002:null".equals(s.getTag().getValue());
    }

    /** A mapping's entries by their scalar keys, in document order. */
    public static Map<String, Node> mapping(Node node, String field) {
        if (!(node instanceof MappingNode mapping)) {
            throw error(field, "must be a mapping (key: value)", node);
        }
        Map<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                throw error(field, "has a key that is not a plain value", tuple.getKeyNode());
            }
            Node earlier = entries.put(key.getValue(), tuple.getValueNode());
            if (earlier != null) {
                // Last-one-wins would store what a reviewer of the document does not read.
                throw error(field.isEmpty() ? key.getValue() : field + "." + key.getValue(), "is given twice, on lines "
                        + line(earlier) + " and " + line(tuple.getValueNode()) + "; give it once", tuple.getKeyNode());
            }
        }
        return entries;
    }

    public static List<Node> sequence(Node node, String field) {
        if (!(node instanceof SequenceNode sequence)) {
            throw error(field, "must be a list", node);
        }
        return new ArrayList<>(sequence.getValue());
    }

    public static String scalar(Node node, String field) {
        if (!(node instanceof ScalarNode scalar)) {
            throw error(field, "must be a single value, not a list or mapping", node);
        }
        return scalar.getValue();
    }

    public static InvalidInputException error(String field, String message, Node at) {
        return new InvalidInputException(List.of(new FieldError(field, message, line(at))));
    }
}
