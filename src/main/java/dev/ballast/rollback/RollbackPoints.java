package dev.ballast.rollback;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;

import dev.ballast.catalog.StepState;
import dev.ballast.identity.SecretCipher;
import dev.ballast.jdbc.Jdbc;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Rollback points: the exact state of a host before a step changed it. Each is committed on its own
 * before the step's apply runs, so no change is ever made that the database does not know how to undo.
 * A state's passwords (a domain's VNC or SPICE passwd) never sit in its facts: they are masked there and
 * kept apart, encrypted with the master key for this point alone.
 */
@ApplicationScoped
public class RollbackPoints {

    private static final Logger LOG = Logger.getLogger(RollbackPoints.class);

    public enum State { CAPTURED, ROLLED_BACK, ROLLBACK_FAILED }

    /** Which task, host and step a point belongs to, with the step's parameters. */
    public record Capture(long taskId, long rolloutId, String host, int position, String step, Map<String, String> params) {
    }

    private static final String COLUMNS = "task_id, position, step, cast(captured as text), captured_secrets, "
            + "cast(applied as text), applied_secrets";

    private final Jdbc jdbc;
    private final ObjectMapper json;
    private final SecretCipher cipher;

    RollbackPoints(Jdbc jdbc, ObjectMapper json, SecretCipher cipher) {
        this.jdbc = jdbc;
        this.json = json;
        this.cipher = cipher;
    }

    /**
     * The point an earlier attempt of this task captured for this step and nobody restored, if any. A
     * restored point describes a change that is undone: it is nothing a later attempt has to carry.
     */
    public Optional<Captured> find(long taskId, int position) {
        return jdbc.one("select " + COLUMNS + " from rollback_point where task_id = ? and position = ? and state <> 'ROLLED_BACK'",
                this::captured, taskId, position);
    }

    /**
     * Seals the passwords an earlier Ballast stored in clear in its rollback points' facts, once, at start:
     * an upgrade must not leave them readable in the database. Idempotent, so replicas may race on it.
     */
    void sealPasswordsStoredInClear(@Observes StartupEvent event) {
        record Clear(long taskId, int position, String captured, String applied) {
        }
        List<Clear> clear = jdbc.list("select task_id, position, cast(captured as text), cast(applied as text) from rollback_point "
                + "where captured_secrets is null and applied_secrets is null "
                + "and (cast(captured as text) like '%passwd%' or cast(applied as text) like '%passwd%')",
                r -> new Clear(r.getLong(1), r.getInt(2), r.getString(3), r.getString(4)));
        for (Clear point : clear) {
            StepState.Masked captured = new StepState(read(point.captured())).masked();
            StepState.Masked applied = point.applied() == null ? null : new StepState(read(point.applied())).masked();
            jdbc.update("update rollback_point set captured = cast(? as jsonb), captured_secrets = ?, applied = cast(? as jsonb), "
                    + "applied_secrets = ? where task_id = ? and position = ? and captured_secrets is null and applied_secrets is null",
                    write(captured.shown().facts()), seal(captured.secrets(), point.taskId(), point.position(), "captured"),
                    applied == null ? null : write(applied.shown().facts()),
                    applied == null ? null : seal(applied.secrets(), point.taskId(), point.position(), "applied"),
                    point.taskId(), point.position());
        }
        if (!clear.isEmpty()) {
            LOG.infof("Sealed the passwords of %d rollback points that an earlier Ballast stored in clear", clear.size());
        }
    }

    /** Records what verify saw right after the step's apply: what Ballast left, to tell later edits by others from it. */
    public void applied(long taskId, int position, StepState observed) {
        StepState.Masked masked = observed.masked();
        jdbc.update("update rollback_point set applied = cast(? as jsonb), applied_secrets = ? where task_id = ? and position = ?",
                write(masked.shown().facts()), seal(masked.secrets(), taskId, position, "applied"), taskId, position);
    }

    private Captured captured(java.sql.ResultSet r) throws java.sql.SQLException {
        long taskId = r.getLong(1);
        int position = r.getInt(2);
        String applied = r.getString(6);
        return new Captured(taskId, position, r.getString(3), unseal(r.getString(4), r.getBytes(5), taskId, position, "captured"),
                applied == null ? null : unseal(applied, r.getBytes(7), taskId, position, "applied"));
    }

    /** The passwords of one state, by fact, encrypted for this point and column alone; null when it holds none. */
    private byte[] seal(Map<String, List<String>> secrets, long taskId, int position, String column) {
        return secrets.isEmpty() ? null : cipher.encrypt(write(secrets).getBytes(StandardCharsets.UTF_8), owner(taskId, position, column));
    }

    private StepState unseal(String facts, byte[] sealed, long taskId, int position, String column) {
        StepState shown = new StepState(read(facts));
        if (sealed == null) {
            return shown;
        }
        byte[] plain = cipher.decrypt(sealed, owner(taskId, position, column), "the passwords of rollback point "
                + position + " of host task " + taskId);
        try {
            return shown.withSecrets(json.readValue(plain, new TypeReference<LinkedHashMap<String, List<String>>>() { }));
        } catch (IOException e) {
            throw new IllegalStateException("the passwords of a stored rollback point cannot be read", e);
        }
    }

    private static String owner(long taskId, int position, String column) {
        return "rollback_point " + taskId + "/" + position + " " + column;
    }

    /**
     * Commits the captured state, in a transaction of its own so that it is stored before the step acts.
     * The first capture of a task's step wins while it waits to be restored: a retried attempt probes a
     * host its predecessor may already have changed, and that later state must never replace the true
     * previous one. A point already restored is replaced: the host went back to it, and the new attempt's
     * change starts from what the host holds now. Returns the state that is stored.
     */
    public StepState capture(Capture point, StepState captured) {
        return jdbc.newTransaction(() -> {
            StepState.Masked masked = captured.masked();
            int stored = jdbc.update("insert into rollback_point (task_id, rollout_id, host_name, position, step, params, captured, "
                    + "captured_secrets) values (?, ?, ?, ?, ?, cast(? as jsonb), cast(? as jsonb), ?) "
                    + "on conflict (task_id, position) do update set params = excluded.params, captured = excluded.captured, "
                    + "captured_secrets = excluded.captured_secrets, "
                    + "state = 'CAPTURED', created_at = now() where rollback_point.state = 'ROLLED_BACK'",
                    point.taskId(), point.rolloutId(), point.host(), point.position(), point.step(), write(point.params()),
                    write(masked.shown().facts()), seal(masked.secrets(), point.taskId(), point.position(), "captured"));
            return stored == 1 ? captured : find(point.taskId(), point.position()).orElseThrow().captured();
        });
    }

    /**
     * One captured point as operators see it (its passwords masked: they are not even read), with the
     * step's state as Ballast last saw it on the host when known: the latest apply, check or rollback of
     * the same step with the same parameters, in any rollout ({@code seenIn}).
     */
    public record PointView(int position, String step, Map<String, String> params, Map<String, String> captured,
            String state, Instant createdAt, Map<String, String> lastSeen, Long seenIn, Instant seenAt) {

        /** The facts whose last seen value is not the captured one: what a rollback would change now. */
        @JsonProperty("differs")
        public List<String> differs() {
            if (lastSeen == null) {
                return List.of();
            }
            return captured.keySet().stream().filter(fact -> !Objects.equals(captured.get(fact), lastSeen.get(fact))).toList();
        }
    }

    /** The points of one host from one rollout, in the order the steps ran. */
    public record RolloutPoints(long rollout, String plan, int planVersion, List<PointView> points) {
        /** Whether any point is left to restore (the UI offers Roll back only then). */
        public boolean restorable() {
            return !toRestore().isEmpty();
        }

        /** What a rollback of this rollout restores, in the order it does: the last applied first. */
        public List<PointView> toRestore() {
            return points.stream().filter(p -> !p.state().equals(State.ROLLED_BACK.name()))
                    .sorted(Comparator.comparingInt(PointView::position).reversed()).toList();
        }
    }

    /**
     * Every rollback point of a host, grouped by rollout, newest rollout first, each with the step's last
     * seen state: a rollout's copy of its plan names each step's parameters by position, which is how a
     * result of another rollout is known to be about the same step on the same device or guest.
     */
    public List<RolloutPoints> ofHost(String host) {
        record Row(long rollout, String plan, int planVersion, PointView point) {
        }
        Map<Long, RolloutPoints> byRollout = new LinkedHashMap<>();
        jdbc.list("select p.rollout_id, r.plan_name, r.plan_version, p.position, p.step, cast(p.params as text), "
                + "cast(p.captured as text), p.state, p.created_at, cast(seen.facts as text), seen.rollout_id, seen.at "
                + "from rollback_point p join rollout r on r.id = p.rollout_id "
                + "left join lateral (select coalesce(s.after, s.before) as facts, t.rollout_id, s.at from host_task t "
                + "  join rollout sr on sr.id = t.rollout_id join step_result s on s.task_id = t.id "
                + "  where t.host_name = p.host_name and s.kind in ('STEP', 'ROLLBACK') and s.name = p.step "
                + "  and coalesce(s.after, s.before) is not null and sr.plan -> 'steps' -> s.position -> 'params' = p.params "
                + "  order by s.id desc limit 1) seen on true "
                + "where p.host_name = ? order by p.rollout_id desc, p.position",
                r -> new Row(r.getLong(1), r.getString(2), r.getInt(3), new PointView(r.getInt(4), r.getString(5),
                        read(r.getString(6)), new StepState(read(r.getString(7))).redacted().facts(), r.getString(8),
                        r.getTimestamp(9).toInstant(), r.getString(10) == null ? null : new StepState(read(r.getString(10))).redacted().facts(),
                        (Long) r.getObject(11), r.getTimestamp(12) == null ? null : r.getTimestamp(12).toInstant())), host)
                .forEach(row -> byRollout.computeIfAbsent(row.rollout(), id -> new RolloutPoints(id, row.plan(), row.planVersion(),
                        new ArrayList<>())).points().add(row.point()));
        return List.copyOf(byRollout.values());
    }

    /** A point still to be restored, with the task and position that identify it. */
    /** {@code applied}: what verify saw right after the step's apply; null when the attempt died before verify. */
    public record Captured(long taskId, int position, String step, StepState captured, StepState applied) {
    }

    /** The points a rollout captured on a host and nobody has restored yet, the last applied first. */
    public List<Captured> unrestored(long rollout, String host) {
        return jdbc.list("select " + COLUMNS + " from rollback_point where rollout_id = ? and host_name = ? "
                + "and state <> 'ROLLED_BACK' order by position desc", this::captured, rollout, host);
    }

    public void mark(long taskId, int position, State state) {
        jdbc.update("update rollback_point set state = ? where task_id = ? and position = ?", state, taskId, position);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> read(String text) {
        try {
            return json.readValue(text, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored rollback point cannot be read", e);
        }
    }
}
