package dev.ballast.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.ballast.jdbc.DatabaseException;
import dev.ballast.jdbc.Jdbc;
import dev.ballast.problem.IllegalMove;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The durable queue's SQL, all of it, and the one writer of a host task's state: creating tasks,
 * claiming tasks of open waves, renewing leases, putting tasks whose lease expired back, recording how
 * tasks ended, cancelling and retrying. Every move is one of {@link TaskState}'s arrows, checked before
 * the SQL runs, and each update names the state it moves from. Time is the database's {@code now()}, so
 * instances need no agreed clock.
 */
@ApplicationScoped
public class TaskQueue {

    /** Advisory lock keys for claims live in their own range, apart from other advisory locks. */
    private static final long CLAIM_LOCK_BASE = 1L << 40;

    private final Jdbc jdbc;

    TaskQueue(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** A task about to be written: QUEUED, or SKIPPED with the reason (maintenance, quarantine). */
    public record NewTask(int wave, long hostId, String host, String spreadValue, TaskState state, String error) {
    }

    /** How one claimed task ended, to be recorded if this instance still holds its lease. */
    public record Ending(long taskId, String instance, TaskState state, String errorKind, String error) {
    }

    /** Writes a rollout's tasks in one batch: creation is the one write of a state with no move before it. */
    public void insert(long rollout, List<NewTask> tasks) {
        List<Object[]> rows = new ArrayList<>(tasks.size());
        for (NewTask task : tasks) {
            if (task.state() != TaskState.QUEUED && task.state() != TaskState.SKIPPED) {
                throw new IllegalArgumentException("a task starts QUEUED or SKIPPED, not " + task.state());
            }
            rows.add(new Object[] {rollout, task.wave(), task.hostId(), task.host(), task.spreadValue(), task.state(), task.error(),
                    task.state().isTerminal()});
        }
        jdbc.batch("insert into host_task (rollout_id, wave, host_id, host_name, spread_value, state, error, finished_at) "
                + "values (?, ?, ?, ?, ?, ?, ?, case when ? then now() end)", rows);
    }

    /** A rollout with a wave open for claiming, with the limits its plan sets on work in flight. */
    public record OpenRollout(long id, int concurrency, int maxInFlightPerValue) {
    }

    public List<OpenRollout> openRollouts() {
        return jdbc.list("select r.id, (r.plan ->> 'concurrency')::int, coalesce((r.plan -> 'waves' ->> 'maxInFlightPerValue')::int, 0) "
                + "from rollout r where r.state = 'RUNNING' and exists (select 1 from wave w where w.rollout_id = r.id "
                + "and w.state = 'RUNNING' and (w.not_before is null or w.not_before <= now())) order by r.id",
                r -> new OpenRollout(r.getLong(1), r.getInt(2), r.getInt(3)));
    }

    /**
     * Claims up to {@code max} queued tasks of the rollout's open waves for {@code instance}. One claimer
     * per rollout at a time (an advisory lock), so the plan's concurrency and per-rack limits hold across
     * instances; SKIP LOCKED keeps claimers of other rollouts from waiting on each other.
     */
    public List<Claimed> claim(OpenRollout rollout, int max, String instance, Duration lease) {
        TaskState.QUEUED.checkMove(TaskState.RUNNING);
        try {
            return jdbc.newTransaction(() -> claimLocked(rollout, max, instance, lease));
        } catch (DatabaseException e) {
            if ("23505".equals(e.sqlState())) {
                return List.of(); // a host was claimed by another rollout meanwhile: the next round skips it
            }
            throw e;
        }
    }

    private List<Claimed> claimLocked(OpenRollout rollout, int max, String instance, Duration lease) {
        if (!jdbc.one("select pg_try_advisory_xact_lock(?)", r -> r.getBoolean(1), CLAIM_LOCK_BASE + rollout.id()).orElseThrow()) {
            return List.of();
        }
        int slots = (int) Math.min(max, rollout.concurrency()
                - jdbc.count("select count(*) from host_task where rollout_id = ? and state = 'RUNNING'", rollout.id()));
        if (slots <= 0) {
            return List.of();
        }
        Map<String, Integer> perValue = rollout.maxInFlightPerValue() > 0 ? runningPerValue(rollout.id()) : new HashMap<>();
        record Candidate(long id, String spreadValue) {
        }
        // Waves are claimed in order; a host busy in another rollout's running task is passed over.
        List<Candidate> candidates = jdbc.list("select t.id, t.spread_value from host_task t "
                + "join wave w on w.rollout_id = t.rollout_id and w.number = t.wave "
                + "where t.rollout_id = ? and t.state = 'QUEUED' and w.state = 'RUNNING' "
                + "and (w.not_before is null or w.not_before <= now()) "
                + "and not exists (select 1 from host_task busy where busy.host_id = t.host_id and busy.state = 'RUNNING') "
                + "order by t.wave, t.id limit ? for update of t skip locked",
                r -> new Candidate(r.getLong(1), r.getString(2)), rollout.id(),
                rollout.maxInFlightPerValue() > 0 ? slots * 8 : slots);
        List<Long> ids = new ArrayList<>();
        for (Candidate candidate : candidates) {
            if (ids.size() == slots) {
                break;
            }
            if (rollout.maxInFlightPerValue() > 0) {
                int inFlight = perValue.getOrDefault(candidate.spreadValue(), 0);
                if (inFlight >= rollout.maxInFlightPerValue()) {
                    continue;
                }
                perValue.put(candidate.spreadValue(), inFlight + 1);
            }
            ids.add(candidate.id());
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.list("update host_task set state = 'RUNNING', attempt = attempt + 1, lease_owner = ?, "
                + "lease_expires_at = now() + make_interval(secs => ?), started_at = now(), finished_at = null, error_kind = null, "
                + "error = null where id = any(?) and state = 'QUEUED' returning id, rollout_id, wave, host_id, host_name, attempt",
                r -> new Claimed(r.getLong(1), r.getLong(2), r.getInt(3), r.getLong(4), r.getString(5), r.getInt(6)),
                instance, lease.toMillis() / 1000.0, ids.stream().mapToLong(Long::longValue).toArray());
    }

    /** Extends the lease of every task this instance runs (or has finished but not yet recorded). */
    public int renew(String instance, Duration lease) {
        return jdbc.update("update host_task set lease_expires_at = now() + make_interval(secs => ?) "
                + "where lease_owner = ? and state = 'RUNNING'", lease.toMillis() / 1000.0, instance);
    }

    /**
     * Puts tasks whose lease ran out back in the queue: their instance died or lost the database. The
     * next attempt starts with a probe and finds any rollback point its predecessor committed.
     */
    public int requeueExpired() {
        TaskState.RUNNING.checkMove(TaskState.QUEUED);
        return jdbc.update("update host_task set state = 'QUEUED', lease_owner = null, lease_expires_at = null "
                + "where state = 'RUNNING' and lease_expires_at < now()");
    }

    /**
     * Records how tasks ended, each only while its instance still holds the lease, in the caller's
     * transaction. Answers how many arrived too late: their lease expired and the task went back to the
     * queue (another attempt runs it); that is expected after a stall and costs the other tasks nothing.
     */
    public int end(List<Ending> endings) {
        List<Object[]> rows = new ArrayList<>(endings.size());
        for (Ending ending : endings) {
            TaskState.RUNNING.checkMove(ending.state());
            rows.add(new Object[] {ending.state(), ending.errorKind(), ending.error(), ending.taskId(), ending.instance()});
        }
        int late = 0;
        for (int moved : jdbc.batch("update host_task set state = ?, error_kind = ?, error = ?, finished_at = now(), "
                + "lease_owner = null, lease_expires_at = null where id = ? and state = 'RUNNING' and lease_owner = ?", rows)) {
            late += moved == 0 ? 1 : 0;
        }
        return late;
    }

    /** Ends the rollout's tasks that never started; tasks in flight finish and are recorded. */
    public int cancelQueued(long rollout) {
        TaskState.QUEUED.checkMove(TaskState.CANCELLED);
        return jdbc.update("update host_task set state = 'CANCELLED', finished_at = now() where rollout_id = ? and state = 'QUEUED'",
                rollout);
    }

    /** Queues the rollout's failed and rolled-back tasks again; answers how many. */
    public int requeueFailed(long rollout) {
        TaskState.FAILED.checkMove(TaskState.QUEUED);
        TaskState.ROLLED_BACK.checkMove(TaskState.QUEUED);
        return jdbc.update("update host_task set state = 'QUEUED', finished_at = null where rollout_id = ? "
                + "and state in ('FAILED', 'ROLLED_BACK')", rollout);
    }

    /** Moves one task; the move must be in the table and the task in {@code from}. */
    public void move(long taskId, TaskState from, TaskState to) {
        from.checkMove(to);
        if (jdbc.update("update host_task set state = ? where id = ? and state = ?", to, taskId, from) == 0) {
            throw IllegalMove.notIn("host task " + taskId, from);
        }
    }

    private Map<String, Integer> runningPerValue(long rollout) {
        record Running(String spreadValue, int count) {
        }
        Map<String, Integer> counts = new HashMap<>();
        jdbc.list("select spread_value, count(*) from host_task where rollout_id = ? and state = 'RUNNING' group by spread_value",
                r -> new Running(r.getString(1), r.getInt(2)), rollout).forEach(v -> counts.put(v.spreadValue(), v.count()));
        return counts;
    }
}
