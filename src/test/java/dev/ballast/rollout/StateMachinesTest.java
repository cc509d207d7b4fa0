package dev.ballast.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ballast.ApplicationTest;
import dev.ballast.jdbc.Jdbc;
import dev.ballast.problem.IllegalMove;
import dev.ballast.queue.TaskQueue;
import dev.ballast.queue.TaskState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;

/**
 * Every (from, to) pair of the three state machines, through the one class that moves each: the moves
 * of the table move the row, every other pair raises and leaves the row as it was, and an allowed move
 * asked of a row in another state raises too. Each pair runs in a transaction that is rolled back, on
 * rows that stay CANCELLED for everyone else (the coordinator and the workers look at running rollouts).
 */
@ApplicationTest
class StateMachinesTest {

    @Inject
    Jdbc jdbc;
    @Inject
    RolloutTransitions rollouts;
    @Inject
    WaveTransitions waves;
    @Inject
    TaskQueue tasks;

    static long rollout;
    static long task;

    /** One machine as the test drives it: put the row in a state, ask the owner for a move, read the state back. */
    private record Machine<S extends Enum<S>>(String name, Consumer<S> put, BiConsumer<S, S> move, Supplier<String> read) {
    }

    @BeforeEach
    void rows() {
        if (rollout != 0) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            long host = jdbc.one("insert into host (name, address, labels) values ('state-machines.test', '192.0.2.1', "
                    + "'{\"suite\": \"state-machines\"}') returning id", r -> r.getLong(1)).orElseThrow();
            rollout = jdbc.one("insert into rollout (plan_name, plan_version, plan, selector, mode, state, created_by) "
                    + "values ('state-machines', 1, '{}', 'suite=state-machines', 'APPLY', 'CANCELLED', 'test') returning id",
                    r -> r.getLong(1)).orElseThrow();
            jdbc.update("insert into wave (rollout_id, number, state, hosts) values (?, 0, 'CANCELLED', 1)", rollout);
            task = jdbc.one("insert into host_task (rollout_id, wave, host_id, host_name, state) values (?, 0, ?, "
                    + "'state-machines.test', 'CANCELLED') returning id", r -> r.getLong(1), rollout, host).orElseThrow();
        });
    }

    @Test
    void everyRolloutMoveOfTheTableMovesAndEveryOtherRaises() {
        Machine<RolloutState> machine = new Machine<>("rollout",
                state -> jdbc.update("update rollout set state = ? where id = ?", state, rollout),
                (from, to) -> rollouts.move(rollout, from, to, "test"),
                () -> jdbc.one("select state from rollout where id = ?", r -> r.getString(1), rollout).orElseThrow());
        int allowed = 0;
        for (RolloutState from : RolloutState.values()) {
            for (RolloutState to : RolloutState.values()) {
                allowed += check(machine, from, to, from.canMoveTo(to));
            }
        }
        assertThat(allowed).as("arrows in the rollout table").isEqualTo(17);
    }

    @Test
    void everyWaveMoveOfTheTableMovesAndEveryOtherRaises() {
        Machine<WaveState> machine = new Machine<>("wave",
                state -> jdbc.update("update wave set state = ? where rollout_id = ? and number = 0", state, rollout),
                (from, to) -> waves.move(rollout, 0, from, to),
                () -> jdbc.one("select state from wave where rollout_id = ? and number = 0", r -> r.getString(1), rollout)
                        .orElseThrow());
        int allowed = 0;
        for (WaveState from : WaveState.values()) {
            for (WaveState to : WaveState.values()) {
                allowed += check(machine, from, to, from.canMoveTo(to));
            }
        }
        assertThat(allowed).as("arrows in the wave table").isEqualTo(6);
    }

    @Test
    void everyHostTaskMoveOfTheTableMovesAndEveryOtherRaises() {
        Machine<TaskState> machine = new Machine<>("host task",
                state -> jdbc.update("update host_task set state = ? where id = ?", state, task),
                (from, to) -> tasks.move(task, from, to),
                () -> jdbc.one("select state from host_task where id = ?", r -> r.getString(1), task).orElseThrow());
        int allowed = 0;
        for (TaskState from : TaskState.values()) {
            for (TaskState to : TaskState.values()) {
                allowed += check(machine, from, to, from.canMoveTo(to));
            }
        }
        assertThat(allowed).as("arrows in the host task table").isEqualTo(13);
    }

    /** Puts the row in {@code from} and asks for the move, in a transaction rolled back at the end; 1 for an allowed pair. */
    private static <S extends Enum<S>> int check(Machine<S> machine, S from, S to, boolean allowed) {
        String move = machine.name() + " " + from + " -> " + to;
        QuarkusTransaction.begin();
        try {
            machine.put().accept(from);
            if (allowed) {
                machine.move().accept(from, to);
                assertThat(machine.read().get()).as(move).isEqualTo(to.name());
                S elsewhere = other(from);
                machine.put().accept(elsewhere);
                assertThatThrownBy(() -> machine.move().accept(from, to)).as(move + " asked of a row in " + elsewhere)
                        .isInstanceOf(IllegalMove.class).hasMessageContaining("is not " + from);
                assertThat(machine.read().get()).isEqualTo(elsewhere.name());
            } else {
                assertThatThrownBy(() -> machine.move().accept(from, to)).as(move).isInstanceOf(IllegalMove.class);
                assertThat(machine.read().get()).as(move + " leaves the row").isEqualTo(from.name());
            }
        } finally {
            QuarkusTransaction.rollback();
        }
        return allowed ? 1 : 0;
    }

    private static <S extends Enum<S>> S other(S state) {
        S[] all = state.getDeclaringClass().getEnumConstants();
        return all[(state.ordinal() + 1) % all.length];
    }
}
