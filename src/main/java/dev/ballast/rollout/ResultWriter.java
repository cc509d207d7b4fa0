package dev.ballast.rollout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ballast.queue.TaskState;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * Writes finished host tasks and their step records in batches: one transaction for many hosts, not
 * one per line. A task stays RUNNING under its lease until its batch commits, so a crash before that
 * only means the task runs again (and its next probe finds the work done).
 */
@ApplicationScoped
public class ResultWriter {

    private static final Logger LOG = Logger.getLogger(ResultWriter.class);

    /** A finished task: its end state, why, and its records. */
    record Completion(long taskId, String instance, TaskState state, String errorKind, String error, List<StepRecord> records) {
    }

    private final DataSource db;
    private final ObjectMapper json;
    private final LinkedBlockingQueue<Completion> pending = new LinkedBlockingQueue<>();
    private final AtomicLong rowsWritten = new AtomicLong();
    private final Thread flusher = new Thread(this::flushLoop, "ballast-result-writer");
    private volatile boolean stopping;

    ResultWriter(DataSource db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    @jakarta.annotation.PostConstruct
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
            } catch (SQLException | RuntimeException e) {
                // Unwritten tasks stay RUNNING; their leases expire and they run again. Log and carry on.
                LOG.errorf(e, "Writing host task results failed; the tasks will be retried when their leases expire");
            }
        }
    }

    private void write(List<Completion> batch) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement results = c.prepareStatement("insert into step_result (task_id, attempt, position, kind, "
                    + "name, outcome, before, after, drift, detail, output, exit_code, duration_ms, instance) values "
                    + "(?, ?, ?, ?, ?, ?, cast(? as jsonb), cast(? as jsonb), cast(? as jsonb), ?, ?, ?, ?, ?)");
                    PreparedStatement tasks = c.prepareStatement("update host_task set state = ?, error_kind = ?, error = ?, "
                            + "finished_at = now(), lease_owner = null, lease_expires_at = null "
                            + "where id = ? and state = 'RUNNING' and lease_owner = ?")) {
                int rows = 0;
                for (Completion done : batch) {
                    for (StepRecord record : done.records()) {
                        results.setLong(1, done.taskId());
                        results.setInt(2, record.attempt());
                        results.setInt(3, record.position());
                        results.setString(4, record.kind());
                        results.setString(5, record.name());
                        results.setString(6, record.outcome());
                        results.setString(7, jsonOrNull(record.before()));
                        results.setString(8, jsonOrNull(record.after()));
                        results.setString(9, jsonOrNull(record.drift()));
                        results.setString(10, record.detail());
                        results.setString(11, record.output());
                        if (record.exitCode() == null) {
                            results.setNull(12, Types.INTEGER);
                        } else {
                            results.setInt(12, record.exitCode());
                        }
                        results.setLong(13, record.durationMs());
                        results.setString(14, done.instance());
                        results.addBatch();
                        rows++;
                    }
                    tasks.setString(1, done.state().name());
                    tasks.setString(2, done.errorKind());
                    tasks.setString(3, done.error());
                    tasks.setLong(4, done.taskId());
                    tasks.setString(5, done.instance());
                    tasks.addBatch();
                    rows++;
                }
                results.executeBatch();
                tasks.executeBatch();
                c.commit();
                rowsWritten.addAndGet(rows);
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
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
    void onStop(@Observes @Priority(Interceptor.Priority.APPLICATION + 900) ShutdownEvent event) throws InterruptedException {
        stopping = true;
        flusher.join(5000);
    }
}
