package dev.ballast.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a command line back into its arguments: exactly the inverse of {@code Command.quote}, single
 * spaces between tokens, each token plain characters, single-quoted text, or an escaped quote. A line
 * that uses any other shell syntax ({@code ;}, {@code $()}, redirection, globs) did not come from
 * Ballast's renderer, and the lab refuses it loudly instead of guessing.
 */
final class LabShellSyntax {

    private LabShellSyntax() {
    }

    static List<String> parse(String line) {
        List<String> argv = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        boolean inToken = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ' ') {
                if (!inToken) {
                    throw new LabSurprise("two spaces in a row at " + i + " of: " + line);
                }
                argv.add(token.toString());
                token.setLength(0);
                inToken = false;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new LabSurprise("an unterminated quote in: " + line);
                }
                token.append(line, i + 1, end);
                i = end;
                inToken = true;
            } else if (c == '\\' && i + 1 < line.length() && line.charAt(i + 1) == '\'') {
                token.append('\'');
                i++;
                inToken = true;
            } else if (isPlain(c)) {
                token.append(c);
                inToken = true;
            } else {
                throw new LabSurprise("shell syntax '" + c + "' outside quotes in: " + line);
            }
        }
        if (!inToken) {
            throw new LabSurprise("an empty command or a trailing space: " + line);
        }
        argv.add(token.toString());
        return argv;
    }

    private static boolean isPlain(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "_@%+=:,./-".indexOf(c) >= 0;
    }
}
