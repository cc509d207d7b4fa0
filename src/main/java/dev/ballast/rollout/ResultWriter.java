package dev.ballast.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ballast.jdbc.Jdbc;
import dev.ballast.queue.Claimed;
import dev.ballast.jdbc.ShutdownOrder;
import dev.ballast.queue.TaskQueue;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Writes finished host tasks and their step records in batches: one transaction for many hosts, not
 * one per line. A task stays RUNNING under its lease until its batch commits, so a crash before that
 * only means the task runs again (and its next probe finds the work done).
 */
@ApplicationScoped
public class ResultWriter {

    private static final Logger LOG = Logger.getLogger(ResultWriter.class);

    /** A finished task: how it ended and its records. */
    record Completion(long taskId, String instance, TaskOutcome outcome, List<StepRecord> records) {
    }

    private final Jdbc jdbc;
    private final TaskQueue queue;
    private final ObjectMapper json;
    private final LinkedBlockingQueue<Completion> pending = new LinkedBlockingQueue<>();
    private final AtomicLong rowsWritten = new AtomicLong();
    private final AtomicLong lateResults = new AtomicLong();
    private final Thread flusher = new Thread(this::flushLoop, "ballast-result-writer");
    private volatile boolean stopping;

    ResultWriter(Jdbc jdbc, TaskQueue queue, ObjectMapper json) {
        this.jdbc = jdbc;
        this.queue = queue;
        this.json = json;
    }

    @PostConstruct
    void start() {
        flusher.setDaemon(true);
        flusher.start();
    }

    void submit(Completion completion) {
        pending.add(completion);
    }

    /** Rows this process has written for results and task states, for the benchmark. */
    public long rowsWritten() {
        return rowsWritten.get();
    }

    /** Task ends this process recorded too late: the task's lease had expired and it was queued again. */
    public long lateResults() {
        return lateResults.get();
    }

    private void flushLoop() {
        while (!stopping || !pending.isEmpty()) {
            try {
                Completion first = pending.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Completion> batch = new ArrayList<>();
                batch.add(first);
                pending.drainTo(batch, 999);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Unwritten tasks stay RUNNING; their leases expire and they run again. Log and carry on.
                LOG.errorf(e, "Writing host task results failed; the tasks will be retried when their leases expire");
            }
        }
    }

    /**
     * The records of every task of the batch are kept, a late one's too (they are what that attempt did);
     * a late task's end is not, since another attempt owns the task now.
     */
    private void write(List<Completion> batch) {
        List<Object[]> results = new ArrayList<>();
        List<TaskQueue.Ending> endings = new ArrayList<>(batch.size());
        for (Completion done : batch) {
            done.records().forEach(line -> results.add(row(done.taskId(), done.instance(), line)));
            TaskOutcome outcome = done.outcome();
            endings.add(new TaskQueue.Ending(done.taskId(), done.instance(), outcome.state(),
                    outcome.errorKind() == null ? null : outcome.errorKind().name(), outcome.error()));
        }
        int late = jdbc.newTransaction(() -> {
            jdbc.batch(INSERT_RESULT, results);
            return queue.end(endings);
        });
        rowsWritten.addAndGet(results.size() + batch.size());
        if (late > 0) {
            lateResults.addAndGet(late);
            LOG.warnf("%d of %d host task results arrived after their lease had expired; those tasks run again elsewhere",
                    late, batch.size());
        }
    }

    /**
     * Writes a task's lines at once, before the host is changed again: a process killed later keeps them.
     * The task's own end still comes with its batch.
     */
    void writeNow(long taskId, String instance, List<StepRecord> lines) {
        jdbc.batch(INSERT_RESULT, lines.stream().map(line -> row(taskId, instance, line)).toList());
        rowsWritten.addAndGet(lines.size());
    }

    /** Whether an earlier attempt of the task wrote this step's line as applied before it died. */
    boolean appliedEarlier(Claimed task, int position) {
        return jdbc.count("select count(*) from step_result where task_id = ? and position = ? and kind = 'STEP' "
                + "and outcome = 'APPLIED' and attempt < ?", task.taskId(), position, task.attempt()) > 0;
    }

    private static final String INSERT_RESULT = "insert into step_result (task_id, attempt, position, kind, name, outcome, "
            + "before, after, drift, detail, output, exit_code, duration_ms, instance, domain_logs) values (?, ?, ?, ?, ?, ?, "
            + "cast(? as jsonb), cast(? as jsonb), cast(? as jsonb), ?, ?, ?, ?, ?, cast(? as jsonb))";

    private Object[] row(long taskId, String instance, StepRecord line) {
        return new Object[] {taskId, line.attempt(), line.position(), line.kind(), line.name(), line.outcome(),
                jsonOrNull(line.before()), jsonOrNull(line.after()), jsonOrNull(line.drift()), line.detail(), line.output(),
                line.exitCode(), line.durationMs(), instance, jsonOrNull(line.domainLogs())};
    }

    private String jsonOrNull(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes what is pending before the process ends, after the workers have stopped (they observe earlier). */
    void onStop(@Observes @Priority(ShutdownOrder.RESULTS) ShutdownEvent event) throws InterruptedException {
        stopping = true;
        flusher.join(5000);
    }
}
