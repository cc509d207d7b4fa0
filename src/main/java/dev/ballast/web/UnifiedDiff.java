package dev.ballast.web;

import java.util.ArrayList;
import java.util.List;

/**
 * Two texts compared line by line in unified form (hunks with three lines of context), as {@code diff -u}
 * prints them: how the host-in-rollout view shows a domain's XML before and after a step. The lines are
 * matched by their longest common subsequence; texts longer than {@link #MAX_LINES} are not compared
 * (the table is quadratic) and show as one hunk that removes the one and adds the other.
 */
public record UnifiedDiff(List<Line> lines) {

    static final int MAX_LINES = 2_000;
    private static final int CONTEXT = 3;

    /** One line of the diff: {@code kind} is ' ' (context), '-', '+' or '@' (a hunk's header). */
    public record Line(char kind, String text) {
        /** The CSS class that colours it, besides the sign that says the same in text. */
        public String css() {
            return switch (kind) {
                case '-' -> "del";
                case '+' -> "add";
                case '@' -> "hunk";
                default -> "ctx";
            };
        }

        public String shown() {
            return kind == '@' ? text : kind + text;
        }
    }

    public static UnifiedDiff of(String before, String after) {
        String[] a = split(before);
        String[] b = split(after);
        List<Line> edits = a.length > MAX_LINES || b.length > MAX_LINES ? replaceAll(a, b) : edits(a, b);
        return new UnifiedDiff(hunks(edits));
    }

    public boolean isEmpty() {
        return lines.isEmpty();
    }

    private static String[] split(String text) {
        return text == null || text.isEmpty() ? new String[0] : text.split("\n", -1);
    }

    private static List<Line> replaceAll(String[] a, String[] b) {
        List<Line> edits = new ArrayList<>();
        for (String line : a) {
            edits.add(new Line('-', line));
        }
        for (String line : b) {
            edits.add(new Line('+', line));
        }
        return edits;
    }

    /** Every line of both texts in order, each kept, removed or added, from the LCS table. */
    private static List<Line> edits(String[] a, String[] b) {
        int[][] common = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                common[i][j] = a[i].equals(b[j]) ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<Line> edits = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                edits.add(new Line(' ', a[i++]));
                j++;
            } else if (i < a.length && (j == b.length || common[i + 1][j] >= common[i][j + 1])) {
                edits.add(new Line('-', a[i++])); // removals before additions, as diff -u prints a changed line
            } else {
                edits.add(new Line('+', b[j++]));
            }
        }
        return edits;
    }

    /** The changed lines with their context, each run of them under an {@code @@ -a,n +b,m @@} header. */
    private static List<Line> hunks(List<Line> edits) {
        List<Line> out = new ArrayList<>();
        int index = 0;
        while (index < edits.size()) {
            int change = nextChange(edits, index);
            if (change < 0) {
                break;
            }
            int start = Math.max(index, change - CONTEXT);
            int end = change;
            int lastChange = change;
            while (end < edits.size() && end - lastChange <= 2 * CONTEXT) {
                if (edits.get(end).kind() != ' ') {
                    lastChange = end;
                }
                end++;
            }
            end = Math.min(edits.size(), lastChange + CONTEXT + 1);
            out.add(header(edits, start, end));
            out.addAll(edits.subList(start, end));
            index = end;
        }
        return out;
    }

    private static int nextChange(List<Line> edits, int from) {
        for (int k = from; k < edits.size(); k++) {
            if (edits.get(k).kind() != ' ') {
                return k;
            }
        }
        return -1;
    }

    private static Line header(List<Line> edits, int start, int end) {
        int oldLine = 1;
        int newLine = 1;
        for (int k = 0; k < start; k++) {
            oldLine += edits.get(k).kind() == '+' ? 0 : 1;
            newLine += edits.get(k).kind() == '-' ? 0 : 1;
        }
        int oldCount = 0;
        int newCount = 0;
        for (int k = start; k < end; k++) {
            oldCount += edits.get(k).kind() == '+' ? 0 : 1;
            newCount += edits.get(k).kind() == '-' ? 0 : 1;
        }
        return new Line('@', "@@ -" + (oldCount == 0 ? oldLine - 1 : oldLine) + "," + oldCount + " +"
                + (newCount == 0 ? newLine - 1 : newLine) + "," + newCount + " @@");
    }
}
