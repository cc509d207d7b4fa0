package dev.ballast.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.ballast.ApplicationTest;
import dev.ballast.jdbc.Jdbc;
import dev.ballast.queue.TaskState;
import dev.ballast.rollback.RollbackPoints;
import jakarta.inject.Inject;

/**
 * The states, modes, outcomes and error kinds the code names are exactly those the database's CHECK
 * constraints allow: a value added on one side only fails here, not in a rollout on a production fleet.
 */
@ApplicationTest
class DatabaseEnumsTest {

    private static final Pattern QUOTED = Pattern.compile("'([A-Z_]+)'::text");

    @Inject
    Jdbc jdbc;

    @Test
    void everyCheckConstraintListsExactlyTheNamesOfItsEnum() {
        assertAllows("rollout_state_check", RolloutState.class);
        assertAllows("rollout_mode_check", Mode.class);
        assertAllows("wave_state_check", WaveState.class);
        assertAllows("host_task_state_check", TaskState.class);
        assertAllows("host_task_error_kind_check", ErrorKind.class);
        assertAllows("step_result_outcome_check", StepOutcome.class);
        assertAllows("step_result_kind_check", StepRecord.Kind.class);
        assertAllows("rollback_point_state_check", RollbackPoints.State.class);
    }

    private void assertAllows(String constraint, Class<? extends Enum<?>> type) {
        String definition = jdbc.one("select pg_get_constraintdef(oid) from pg_constraint where conname = ?", r -> r.getString(1),
                constraint).orElseThrow(() -> new AssertionError("no constraint " + constraint));
        List<String> allowed = new java.util.ArrayList<>();
        Matcher quoted = QUOTED.matcher(definition);
        while (quoted.find()) {
            allowed.add(quoted.group(1));
        }
        assertThat(allowed).as(constraint + ": " + definition)
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(type.getEnumConstants()).map(Enum::name).toList());
    }
}
