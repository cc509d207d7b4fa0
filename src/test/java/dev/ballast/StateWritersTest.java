package dev.ballast;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Each state machine has one class that moves it: no SQL string anywhere else in the main code writes
 * the state of a rollout, a wave or a host task (an update that sets it, or an insert of a row).
 */
class StateWritersTest {

    private static final Map<String, String> OWNERS = Map.of(
            "rollout", "rollout/RolloutTransitions.java",
            "wave", "rollout/WaveTransitions.java",
            "host_task", "queue/TaskQueue.java");
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern UPDATE = Pattern.compile(
            "update\\s+(rollout|wave|host_task)\\b(?:\\s+(?!set\\b)\\w+)?\\s+set\\s+(.*?)(?:\\bwhere\\b|\\breturning\\b|$)",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern SETS_STATE = Pattern.compile("(?:^|,)\\s*state\\s*=", Pattern.CASE_INSENSITIVE);
    private static final Pattern INSERT = Pattern.compile("insert\\s+into\\s+(rollout|wave|host_task)\\s*\\(",
            Pattern.CASE_INSENSITIVE);

    @Test
    void onlyTheOwnerOfEachStateMachineWritesItsState() throws IOException {
        Path main = Path.of("src/main/java/dev/ballast");
        List<String> writers = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String name = main.relativize(file).toString();
                for (String table : tablesWhoseStateIsWritten(Files.readString(file))) {
                    if (!OWNERS.get(table).equals(name)) {
                        writers.add(name + " writes the state of " + table);
                    }
                }
            }
        }
        assertThat(writers).isEmpty();
    }

    @Test
    void theCheckRecognisesEveryWayOfWritingAState() {
        assertThat(tablesWhoseStateIsWritten("x(\"update wave set state = 'RUNNING', \"\n + \"finished_at = null where id = ?\")"))
                .containsExactly("wave");
        assertThat(tablesWhoseStateIsWritten("x(\"update host_task t set lease_owner = null, state = ? where t.id = ?\")"))
                .containsExactly("host_task");
        assertThat(tablesWhoseStateIsWritten("x(\"insert into rollout (plan_name, state) values (?, ?)\")"))
                .containsExactly("rollout");
        assertThat(tablesWhoseStateIsWritten("x(\"update host_task set lease_expires_at = now() where state = 'RUNNING'\")"))
                .as("a state in the where clause is read, not written").isEmpty();
        assertThat(tablesWhoseStateIsWritten("x(\"update rollout set current_wave = ? where id = ?\")")).isEmpty();
    }

    /** The tables whose state the source's SQL strings write; concatenated literals are read as one. */
    static List<String> tablesWhoseStateIsWritten(String source) {
        String joined = source.replaceAll("\"\\s*\\+\\s*\"", "");
        List<String> tables = new ArrayList<>();
        Matcher literal = LITERAL.matcher(joined);
        while (literal.find()) {
            String sql = literal.group(1);
            Matcher update = UPDATE.matcher(sql);
            while (update.find()) {
                if (SETS_STATE.matcher(update.group(2)).find()) {
                    tables.add(update.group(1).toLowerCase());
                }
            }
            Matcher insert = INSERT.matcher(sql);
            while (insert.find()) {
                tables.add(insert.group(1).toLowerCase());
            }
        }
        return tables;
    }
}
