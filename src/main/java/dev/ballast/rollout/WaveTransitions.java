package dev.ballast.rollout;

import java.util.List;
import java.util.Optional;

import dev.ballast.jdbc.Jdbc;
import dev.ballast.problem.IllegalMove;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one writer of a wave row's state. Every move is checked against {@link WaveState}'s table and made
 * with a guarded update that raises when the wave was not in the state the move starts from.
 */
@ApplicationScoped
class WaveTransitions {

    private final Jdbc jdbc;

    WaveTransitions(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Writes a rollout's waves, 0 (the canary) first: the first starts open or held, the others wait. */
    void insert(long rollout, List<Integer> hostsPerWave, WaveState first) {
        List<Object[]> rows = new java.util.ArrayList<>();
        for (int n = 0; n < hostsPerWave.size(); n++) {
            WaveState state = n == 0 ? first : WaveState.PENDING;
            rows.add(new Object[] {rollout, n, state, hostsPerWave.get(n), state == WaveState.RUNNING});
        }
        jdbc.batch("insert into wave (rollout_id, number, state, hosts, started_at) values (?, ?, ?, ?, case when ? then now() end)",
                rows);
    }

    /** Opens a wave, held back by a pause; the time is stored, so a restart does not shorten it. */
    void open(long rollout, int wave, long pauseSeconds) {
        move(rollout, wave, WaveState.PENDING, WaveState.RUNNING);
        jdbc.update("update wave set started_at = now(), not_before = case when ? > 0 then now() + make_interval(secs => ?) end "
                + "where rollout_id = ? and number = ?", pauseSeconds, (double) pauseSeconds, rollout, wave);
    }

    /** Opens a failed wave again for a retry of its hosts, at once: it was open before. */
    void reopen(long rollout, int wave) {
        move(rollout, wave, WaveState.FAILED, WaveState.RUNNING);
        jdbc.update("update wave set finished_at = null, not_before = null where rollout_id = ? and number = ?", rollout, wave);
    }

    /** Closes a wave whose tasks have all ended: SUCCEEDED or FAILED. */
    void close(long rollout, int wave, WaveState end) {
        move(rollout, wave, WaveState.RUNNING, end);
        jdbc.update("update wave set finished_at = now() where rollout_id = ? and number = ?", rollout, wave);
    }

    /** Ends every wave that is open or still to come: the rollout they belong to has ended. */
    void cancelOpen(long rollout) {
        WaveState.PENDING.checkMove(WaveState.CANCELLED);
        WaveState.RUNNING.checkMove(WaveState.CANCELLED);
        jdbc.update("update wave set state = ?, finished_at = now() where rollout_id = ? and state in (?, ?)", WaveState.CANCELLED,
                rollout, WaveState.PENDING, WaveState.RUNNING);
    }

    /** Moves one wave; the move must be in the table and the wave in {@code from}. */
    void move(long rollout, int wave, WaveState from, WaveState to) {
        from.checkMove(to);
        int moved = jdbc.update("update wave set state = ? where rollout_id = ? and number = ? and state = ?", to, rollout, wave, from);
        if (moved == 0) {
            throw IllegalMove.notIn("wave " + wave + " of rollout " + rollout, from);
        }
    }

    void approve(long rollout, int wave, String actor) {
        jdbc.update("update wave set approved_by = ?, approved_at = now() where rollout_id = ? and number = ?", actor, rollout, wave);
    }

    /** Running waves none of whose tasks is queued or running any more: ready to be judged. */
    List<Integer> finishedRunning(long rollout) {
        return jdbc.list("select w.number from wave w where w.rollout_id = ? and w.state = 'RUNNING' and not exists "
                + "(select 1 from host_task t where t.rollout_id = w.rollout_id and t.wave = w.number "
                + "and t.state in ('QUEUED', 'RUNNING')) order by w.number", r -> r.getInt(1), rollout);
    }

    /** The first wave that never opened: the next one to open. */
    Optional<Integer> firstPending(long rollout) {
        return jdbc.one("select min(number) from wave where rollout_id = ? and state = 'PENDING'",
                r -> (Integer) r.getObject(1), rollout);
    }

    WaveState state(long rollout, int wave) {
        return jdbc.one("select state from wave where rollout_id = ? and number = ?", r -> WaveState.valueOf(r.getString(1)),
                rollout, wave).orElseThrow();
    }

    boolean anyRunning(long rollout) {
        return jdbc.count("select count(*) from wave where rollout_id = ? and state = 'RUNNING'", rollout) > 0;
    }

    /** The waves that hold tasks queued again (a retry), among those already closed. */
    List<Integer> closedWithQueuedTasks(long rollout) {
        return jdbc.list("select w.number from wave w where w.rollout_id = ? and w.state = 'FAILED' and exists (select 1 "
                + "from host_task t where t.rollout_id = w.rollout_id and t.wave = w.number and t.state = 'QUEUED') "
                + "order by w.number", r -> r.getInt(1), rollout);
    }
}
