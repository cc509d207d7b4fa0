package dev.ballast.rollout;

import java.util.List;
import java.util.Optional;

import dev.ballast.jdbc.Jdbc;
import dev.ballast.problem.IllegalMove;
import dev.ballast.problem.NotFoundException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one writer of a rollout row's state. Every move is checked against {@link RolloutState}'s table
 * and made with a guarded {@code update ... where id = ? and state = ?}: a move that finds the row in
 * another state raises instead of overwriting what someone else decided.
 */
@ApplicationScoped
class RolloutTransitions {

    /** A rollout row about to be written, in the state it starts in. */
    record NewRollout(String planName, int planVersion, String planJson, String selector, Mode mode, RolloutState state,
            String reason, String createdBy, Long rollsBack, boolean forced) {
    }

    /** A rollout row locked for a decision: its state and the wave it is at. */
    record Locked(long id, RolloutState state, int currentWave) {
    }

    private final Jdbc jdbc;

    RolloutTransitions(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Writes a new rollout: creation is the one write of a state with no move before it. */
    long insert(NewRollout rollout) {
        return jdbc.one("insert into rollout (plan_name, plan_version, plan, selector, mode, state, reason, created_by, rolls_back, "
                + "forced) values (?, ?, cast(? as jsonb), ?, ?, ?, ?, ?, ?, ?) returning id", r -> r.getLong(1),
                rollout.planName(), rollout.planVersion(), rollout.planJson(), rollout.selector(), rollout.mode(), rollout.state(),
                rollout.reason(), rollout.createdBy(), rollout.rollsBack(), rollout.forced()).orElseThrow();
    }

    /** Moves a rollout from one state to another, with the reason it now shows (null clears it). */
    void move(long id, RolloutState from, RolloutState to, String reason) {
        if (!from.canMoveTo(to)) {
            throw IllegalMove.notAllowed("rollout", from, to);
        }
        int moved = jdbc.update("update rollout set state = ?, reason = ?, updated_at = now(), "
                + "finished_at = case when ? then now() end where id = ? and state = ?", to, reason, to.isFinished(), id, from);
        if (moved == 0) {
            throw IllegalMove.notIn("rollout " + id, from);
        }
    }

    /** Locks the rollout for an operator's control; waits for a coordinator that holds it. */
    Locked lock(long id) {
        return jdbc.one("select id, state, current_wave from rollout where id = ? for update", RolloutTransitions::locked, id)
                .orElseThrow(() -> new NotFoundException("no rollout " + id));
    }

    /** Locks the rollout if no other process holds it now: the coordinators of several processes pass each other by. */
    Optional<Locked> lockIfFree(long id) {
        return jdbc.one("select id, state, current_wave from rollout where id = ? for update skip locked", RolloutTransitions::locked,
                id);
    }

    void setCurrentWave(long id, int wave) {
        jdbc.update("update rollout set current_wave = ?, updated_at = now() where id = ?", wave, id);
    }

    /** Rollouts the coordinator has to look at. */
    List<Long> running() {
        return jdbc.list("select id from rollout where state = ? order by id", r -> r.getLong(1), RolloutState.RUNNING);
    }

    private static Locked locked(java.sql.ResultSet r) throws java.sql.SQLException {
        return new Locked(r.getLong(1), RolloutState.valueOf(r.getString(2)), r.getInt(3));
    }
}
