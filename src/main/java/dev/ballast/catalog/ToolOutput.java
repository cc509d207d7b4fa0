package dev.ballast.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ballast.remote.CommandResult;

/** Reading what hardware tools print: their JSON, and their complaints in a form fit for a check result. */
final class ToolOutput {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHOWN = 300;

    private ToolOutput() {
    }

    /**
     * The JSON document a tool printed, from its first '{': fio can print warnings before it. A
     * truncated or malformed document fails the check with the parser's reason.
     */
    static JsonNode json(String tool, CommandResult result, String expected) throws CheckFailed {
        if (result.truncated()) {
            throw new CheckFailed("output over the size cap", expected, tool + " printed more than Ballast keeps of one command");
        }
        int start = result.stdout().indexOf('{');
        if (start < 0) {
            throw new CheckFailed(shown(result.stdout()), expected, tool + " printed no JSON" + stderrSuffix(result));
        }
        try {
            return JSON.readTree(result.stdout().substring(start));
        } catch (JsonProcessingException e) {
            throw new CheckFailed("invalid JSON", expected, tool + " printed invalid JSON: " + e.getOriginalMessage());
        }
    }

    /** ": <first line of stderr>", or nothing when the tool said nothing there. */
    static String stderrSuffix(CommandResult result) {
        String stderr = result.stderr().strip();
        return stderr.isEmpty() ? "" : ": " + shown(stderr);
    }

    /** Remote text bounded and with control characters visible, so a result stays one readable line. */
    static String shown(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        StringBuilder out = new StringBuilder();
        line.codePoints().limit(SHOWN).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return line.length() > SHOWN ? out + "..." : out.toString();
    }
}
