package dev.ballast.inventory;

import dev.ballast.input.Check;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ballast.problem.FieldError;

/**
 * Reads Ansible's INI inventory: {@code [group]} host lines with {@code key=value} variables,
 * {@code [group:vars]} and {@code [group:children]} sections, host ranges, {@code host:port},
 * comments with {@code #} or {@code ;}. Any line it cannot read is an error naming that line.
 */
final class AnsibleIniParser {

    private static final Pattern SECTION = Pattern.compile("\\[([^\\[\\]:\\s]+)(?::([a-z]+))?]");
    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    private static final Pattern VAR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*(.*)");
    private static final Pattern HOST_PORT = Pattern.compile("(.*[^:]):(\\d{1,5})");

    private enum Kind {
        HOSTS, VARS, CHILDREN
    }

    private AnsibleIniParser() {
    }

    static List<ImportedHost> parse(String text, ImportNotes notes) {
        AnsibleInventory inventory = new AnsibleInventory();
        String group = AnsibleInventory.UNGROUPED;
        Kind kind = Kind.HOSTS;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int line = i + 1;
            String content = lines[i].strip();
            if (content.isEmpty() || content.startsWith("#") || content.startsWith(";")) {
                continue;
            }
            if (content.startsWith("[")) {
                Matcher section = SECTION.matcher(content);
                if (!section.matches() || !GROUP_NAME.matcher(section.group(1)).matches()) {
                    inventory.errors.add(new FieldError("section", Check.quoted(content)
                            + " is not a section header ([group], [group:vars] or [group:children])", line));
                    continue;
                }
                String suffix = section.group(2);
                if (suffix != null && !suffix.equals("vars") && !suffix.equals("children")) {
                    inventory.errors.add(new FieldError("section", "unknown section type ':" + suffix
                            + "' (only :vars and :children exist)", line));
                    continue;
                }
                group = section.group(1);
                kind = suffix == null ? Kind.HOSTS : suffix.equals("vars") ? Kind.VARS : Kind.CHILDREN;
                inventory.group(group);
                continue;
            }
            try {
                switch (kind) {
                    case HOSTS -> hostLine(inventory, group, content, line);
                    case VARS -> varLine(inventory, group, content, line);
                    case CHILDREN -> childLine(inventory, group, content);
                }
            } catch (IllegalArgumentException e) {
                inventory.errors.add(new FieldError(kind.name().toLowerCase(), e.getMessage(), line));
            }
        }
        return inventory.resolve(notes);
    }

    private static void hostLine(AnsibleInventory inventory, String group, String content, int line) {
        List<String> tokens = tokens(content);
        String pattern = tokens.get(0);
        Map<String, String> vars = new LinkedHashMap<>();
        Matcher hostPort = HOST_PORT.matcher(pattern);
        if (hostPort.matches() && !pattern.endsWith("]")) {
            pattern = hostPort.group(1);
            vars.put("ansible_port", hostPort.group(2));
        }
        for (String token : tokens.subList(1, tokens.size())) {
            int eq = token.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException(Check.quoted(token) + " is not a key=value variable");
            }
            String key = token.substring(0, eq);
            if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException(Check.quoted(key) + " is not a variable name");
            }
            vars.put(key, token.substring(eq + 1));
        }
        inventory.hosts(group, pattern, vars, line);
    }

    private static void varLine(AnsibleInventory inventory, String group, String content, int line) {
        Matcher var = VAR.matcher(content);
        if (!var.matches()) {
            throw new IllegalArgumentException(Check.quoted(content) + " is not a key=value variable");
        }
        List<String> value = tokens(var.group(2).isEmpty() ? "''" : var.group(2));
        if (value.size() != 1) {
            throw new IllegalArgumentException("the value of " + var.group(1) + " has unquoted spaces");
        }
        inventory.groupVar(group, var.group(1), value.get(0), line);
    }

    private static void childLine(AnsibleInventory inventory, String group, String content) {
        if (!GROUP_NAME.matcher(content).matches()) {
            throw new IllegalArgumentException(Check.quoted(content) + " is not a group name");
        }
        inventory.child(group, content);
    }

    /**
     * Splits on whitespace, honouring single and double quotes (which are removed) and dropping a
     * {@code #} comment that starts a token, as Ansible's shlex-based reader does.
     */
    static List<String> tokens(String content) {
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inToken = false;
        char quote = 0;
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    current.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inToken = true;
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    tokens.add(current.toString());
                    current.setLength(0);
                    inToken = false;
                }
            } else if (c == '#' && !inToken) {
                break;
            } else {
                current.append(c);
                inToken = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("a quote opened here is never closed");
        }
        if (inToken) {
            tokens.add(current.toString());
        }
        return tokens;
    }
}
