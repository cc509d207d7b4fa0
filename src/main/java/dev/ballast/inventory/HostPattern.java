package dev.ballast.inventory;

import dev.ballast.input.Check;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands Ansible host ranges: {@code hv[01:50].dc1} (zero-padded as written), {@code node[a:f]},
 * {@code hv[1:9:2]}, and several ranges in one name. A pattern without brackets is itself.
 */
final class HostPattern {

    static final int MAX_HOSTS = 10_000;
    private static final Pattern RANGE = Pattern.compile("\\[([0-9]+|[a-z]):([0-9]+|[a-z])(?::([0-9]+))?]");

    private HostPattern() {
    }

    /** @throws IllegalArgumentException for a malformed range, or one of over {@value #MAX_HOSTS} hosts */
    static List<String> expand(String pattern) {
        Matcher range = RANGE.matcher(pattern);
        if (!range.find()) {
            if (pattern.contains("[") || pattern.contains("]")) {
                throw new IllegalArgumentException(Check.quoted(pattern) + " has a malformed range (write [01:50] or [a:f])");
            }
            return List.of(pattern);
        }
        String head = pattern.substring(0, range.start());
        if (head.contains("[") || head.contains("]")) {
            throw new IllegalArgumentException(Check.quoted(pattern) + " has a malformed range (write [01:50] or [a:f])");
        }
        List<String> tails = expand(pattern.substring(range.end()));
        List<String> hosts = new ArrayList<>();
        for (String item : items(range.group(1), range.group(2), range.group(3))) {
            for (String tail : tails) {
                if (hosts.size() == MAX_HOSTS) {
                    throw new IllegalArgumentException(Check.quoted(pattern) + " expands to over " + MAX_HOSTS + " hosts");
                }
                hosts.add(head + item + tail);
            }
        }
        return hosts;
    }

    private static List<String> items(String from, String to, String stepText) {
        boolean numeric = Character.isDigit(from.charAt(0));
        if (numeric != Character.isDigit(to.charAt(0))) {
            throw new IllegalArgumentException("range [" + from + ":" + to + "] mixes letters and numbers");
        }
        if (from.length() > 6 || to.length() > 6 || stepText != null && stepText.length() > 6) {
            throw new IllegalArgumentException("range [" + from + ":" + to + "] has bounds over six digits");
        }
        int start = numeric ? Integer.parseInt(from) : from.charAt(0);
        int end = numeric ? Integer.parseInt(to) : to.charAt(0);
        int step = stepText == null ? 1 : Integer.parseInt(stepText);
        if (end < start || step < 1) {
            throw new IllegalArgumentException("range [" + from + ":" + to + (stepText == null ? "" : ":" + stepText)
                    + "] is empty: the end is below the start or the step is 0");
        }
        // Ansible pads to the width of the start when it has a leading zero.
        String format = numeric && from.length() > 1 && from.startsWith("0") ? "%0" + from.length() + "d" : "%d";
        List<String> items = new ArrayList<>();
        for (int i = start; i <= end; i += step) {
            if (items.size() == MAX_HOSTS) {
                throw new IllegalArgumentException("range [" + from + ":" + to + "] has over " + MAX_HOSTS + " hosts");
            }
            items.add(numeric ? String.format(format, i) : String.valueOf((char) i));
        }
        return items;
    }
}
