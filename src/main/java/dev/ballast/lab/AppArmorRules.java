package dev.ballast.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of apparmor_parser a lab host needs: file rules ({@code [audit] [deny] [owner] PATH MODES,}) in an
 * included file, with comments and blank lines, and the syntax errors it reports with the line they are on.
 * Anything else a real profile may hold (includes, capabilities, network rules) the lab has no use for,
 * and reports as a syntax error too rather than guessing what it grants.
 */
final class AppArmorRules {

    private static final Pattern RULE = Pattern.compile(
            "(?:audit\\s+)?(deny\\s+)?(?:owner\\s+)?(/\\S*)\\s+([A-Za-z]+)\\s*(,?)\\s*(?:#.*)?");
    private static final Pattern MODES = Pattern.compile("[rwaklmixUuPpCcD]+");

    /** One allow or deny rule: a path glob and its modes. */
    record Rule(boolean deny, String glob, String modes) {

        boolean matches(String path) {
            return Pattern.compile(regex(glob)).matcher(path).matches();
        }
    }

    /** The rules, or the first error as apparmor_parser words it (the line it is on, the reason). */
    record Parsed(List<Rule> rules, int errorLine, String error) {
        boolean ok() {
            return error == null;
        }
    }

    private AppArmorRules() {
    }

    static Parsed parse(String text) {
        List<Rule> rules = new ArrayList<>();
        List<String> lines = text == null ? List.of() : text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") && !line.startsWith("#include")) {
                continue;
            }
            Matcher rule = RULE.matcher(line);
            if (!rule.matches()) {
                return new Parsed(List.of(), i + 1, "syntax error, unexpected TOK_ID, expecting TOK_END_OF_RULE");
            }
            Matcher modes = MODES.matcher(rule.group(3));
            if (!modes.matches()) {
                char bad = rule.group(3).chars().filter(c -> "rwaklmixUuPpCcD".indexOf(c) < 0).mapToObj(c -> (char) c)
                        .findFirst().orElseThrow();
                return new Parsed(List.of(), i + 1, "Found unexpected character: '" + bad + "'");
            }
            if (rule.group(4).isEmpty()) {
                // The rule goes on until a comma: the next line's first token is where the parser gives up.
                return new Parsed(List.of(), Math.min(i + 2, lines.size() + 1), "syntax error, unexpected TOK_ID, expecting TOK_END_OF_RULE");
            }
            rules.add(new Rule(rule.group(1) != null, rule.group(2), rule.group(3)));
        }
        return new Parsed(rules, 0, null);
    }

    /** Whether the rules let a process open the path for reading and writing: both modes allowed, none denied. */
    static boolean grantsReadWrite(List<Rule> rules, String path) {
        boolean read = false;
        boolean write = false;
        for (Rule rule : rules) {
            if (rule.matches(path)) {
                boolean r = rule.modes().contains("r");
                boolean w = rule.modes().contains("w");
                if (rule.deny() && (r || w)) {
                    return false;
                }
                read |= r;
                write |= w;
            }
        }
        return read && write;
    }

    /** AppArmor globbing: ** crosses directories, * and ? do not; everything else is itself. */
    private static String regex(String glob) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                out.append(".*");
                i++;
            } else if (c == '*') {
                out.append("[^/]*");
            } else if (c == '?') {
                out.append("[^/]");
            } else {
                out.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return out.toString();
    }
}
