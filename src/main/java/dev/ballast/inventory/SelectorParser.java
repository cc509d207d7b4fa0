package dev.ballast.inventory;

import dev.ballast.input.Check;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.ballast.inventory.Selector.Requirement;

/**
 * Recursive descent over the selector grammar:
 * <pre>
 * selector    := requirement ("," requirement)*
 * requirement := "!" key | key | key ("=" | "==" | "!=") value | key ("in" | "notin") "(" value ("," value)* ")"
 * </pre>
 * Keys and values follow the label rules of {@link Labels}. Failures throw {@link IllegalArgumentException}
 * with the 1-based position.
 */
final class SelectorParser {

    private final String text;
    private int pos;

    SelectorParser(String text) {
        this.text = text;
    }

    List<Requirement> parse() {
        List<Requirement> requirements = new ArrayList<>();
        do {
            requirements.add(requirement());
        } while (accept(","));
        skipSpace();
        if (pos < text.length()) {
            throw fail("expected ',' or the end");
        }
        return requirements;
    }

    private Requirement requirement() {
        if (accept("!")) {
            return new Selector.Absent(key());
        }
        String key = key();
        if (accept("!=")) {
            String value = value();
            if (value.isEmpty()) {
                // Every host that lacks the label matches too: 'a!=' chose the whole fleet.
                throw fail("expected a label value after '!=' (to choose the hosts that have the label, write " + key + ")");
            }
            return new Selector.NotEquals(key, value);
        }
        if (accept("==") || accept("=")) {
            return new Selector.Equals(key, value());
        }
        int before = pos;
        String word = peekWord();
        if ("in".equals(word) || "notin".equals(word)) {
            pos += word.length();
            List<String> values = valueList();
            return "in".equals(word) ? new Selector.In(key, values) : new Selector.NotIn(key, values);
        }
        pos = before;
        return new Selector.Exists(key);
    }

    private List<String> valueList() {
        if (!accept("(")) {
            throw fail("expected '(' to open the list of values");
        }
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == ')') {
            // 'a notin ()' would choose every host.
            throw fail("expected at least one label value in the list");
        }
        Set<String> values = new LinkedHashSet<>();
        do {
            values.add(value());
        } while (accept(","));
        if (!accept(")")) {
            throw fail("expected ',' or ')'");
        }
        return List.copyOf(values);
    }

    private String key() {
        int at = skipSpace();
        String key = word();
        if (key.isEmpty()) {
            throw fail("expected a label key");
        }
        try {
            Labels.checkKey(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("at position " + (at + 1) + ": " + e.getMessage());
        }
        return key;
    }

    private String value() {
        int at = skipSpace();
        String value = word();
        try {
            Labels.checkValue(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("at position " + (at + 1) + ": " + e.getMessage());
        }
        return value;
    }

    private String word() {
        int start = pos;
        while (pos < text.length() && isWordChar(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private String peekWord() {
        skipSpace();
        int end = pos;
        while (end < text.length() && isWordChar(text.charAt(end))) {
            end++;
        }
        return text.substring(pos, end);
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '-' || c == '_' || c == '/';
    }

    private boolean accept(String token) {
        skipSpace();
        if (text.startsWith(token, pos)) {
            pos += token.length();
            return true;
        }
        return false;
    }

    private int skipSpace() {
        while (pos < text.length() && text.charAt(pos) == ' ') {
            pos++;
        }
        return pos;
    }

    private IllegalArgumentException fail(String expectation) {
        String found = pos < text.length() ? "found " + Check.quoted(String.valueOf(text.charAt(pos))) : "found the end";
        return new IllegalArgumentException("at position " + (pos + 1) + ": " + expectation + ", " + found);
    }
}
