package dev.ballast.rollout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import dev.ballast.audit.AuditLog;
import dev.ballast.inventory.Inventory;
import dev.ballast.inventory.Selector;
import dev.ballast.plan.Plan;
import dev.ballast.plan.Plans;
import dev.ballast.plan.StoredPlan;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.problem.NotFoundException;
import dev.ballast.queue.TaskState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Creating rollouts and reading them. Creation writes the rollout, its waves and one task per host in
 * one transaction, so a rollout exists whole or not at all; from then on the workers and the coordinator
 * carry it, in any Ballast process.
 */
@ApplicationScoped
public class Rollouts {

    private final DataSource db;
    private final Plans plans;
    private final Inventory inventory;
    private final AuditLog audit;
    private final com.fasterxml.jackson.databind.ObjectMapper json;
    private final RolloutPlans rolloutPlans;

    Rollouts(DataSource db, Plans plans, Inventory inventory, AuditLog audit, com.fasterxml.jackson.databind.ObjectMapper json,
            RolloutPlans rolloutPlans) {
        this.db = db;
        this.rolloutPlans = rolloutPlans;
        this.plans = plans;
        this.inventory = inventory;
        this.audit = audit;
        this.json = json;
    }

    @Transactional
    public RolloutView create(String planName, Integer planVersion, String selectorText, String modeText, String actor) {
        if (planName == null) {
            throw InvalidInputException.of("plan", "is required");
        }
        Mode mode = InvalidInputException.forField("mode", () -> Mode.parse(modeText));
        Selector selector = Selector.parse("selector", selectorText == null ? "" : selectorText);
        StoredPlan stored = planVersion == null ? plans.latest(planName) : plans.get(planName, planVersion);
        List<Inventory.HostRef> hosts = inventory.select(selector);
        if (hosts.isEmpty()) {
            throw InvalidInputException.of("selector", "'" + selector + "' matches no host");
        }
        return start(stored, selector.toString(), hosts, mode, actor, null);
    }

    /**
     * A rollout over those of a selector's hosts that are named (the drifted hosts of a sweep run), created
     * waiting for approval before its first wave: someone decides before anything changes.
     */
    @Transactional
    public RolloutView createHeld(String planName, int planVersion, String selectorText, List<String> hostNames, String actor,
            String reason) {
        Selector selector = Selector.parse("selector", selectorText);
        StoredPlan stored = plans.get(planName, planVersion);
        java.util.Set<String> named = java.util.Set.copyOf(hostNames);
        List<Inventory.HostRef> hosts = inventory.select(selector).stream().filter(h -> named.contains(h.name())).toList();
        if (hosts.isEmpty()) {
            throw InvalidInputException.of("hosts", "none of " + hostNames + " is chosen by '" + selector + "' any more");
        }
        return start(stored, selector + ", " + hosts.size() + " named hosts", hosts, Mode.APPLY, actor, reason);
    }

    private RolloutView start(StoredPlan stored, String selector, List<Inventory.HostRef> hosts, Mode mode, String actor,
            String heldBecause) {
        Plan plan = stored.plan();
        List<WavePlanner.Candidate> eligible = new ArrayList<>();
        List<Inventory.HostRef> skipped = new ArrayList<>();
        for (Inventory.HostRef host : hosts) {
            if (host.skipReason() == null) {
                eligible.add(new WavePlanner.Candidate(host.id(), host.name(), host.labels()));
            } else {
                skipped.add(host);
            }
        }
        List<List<WavePlanner.Candidate>> waves = WavePlanner.plan(eligible, plan.waves());
        if (waves.isEmpty()) {
            waves = List.of(List.of());
        }
        long id;
        try (Connection c = db.getConnection()) {
            id = insertRollout(c, stored, selector, mode, actor);
            insertWaves(c, id, waves);
            insertTasks(c, id, waves, skipped, plan.waves().spreadLabel(), hosts);
            if (heldBecause != null) {
                hold(c, id, heldBecause);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("creating the rollout failed", e);
        }
        RolloutView view = get(id);
        audit.record("rollout.create", "rollout/" + id, null, Map.of("plan", stored.name(), "planVersion", stored.version(),
                "selector", selector, "mode", mode.name(), "hosts", hosts.size(), "waves", waves.size()));
        return view;
    }

    /** Holds the first wave back until someone approves it. */
    private static void hold(Connection c, long id, String reason) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("update rollout set state = 'AWAITING_APPROVAL', reason = ? where id = ?")) {
            s.setString(1, reason);
            s.setLong(2, id);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("update wave set state = 'PENDING', started_at = null "
                + "where rollout_id = ? and number = 0")) {
            s.setLong(1, id);
            s.executeUpdate();
        }
    }

    private long insertRollout(Connection c, StoredPlan stored, String selector, Mode mode, String actor) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into rollout (plan_name, plan_version, plan, selector, mode, "
                + "state, created_by) values (?, ?, cast(? as jsonb), ?, ?, 'RUNNING', ?) returning id")) {
            s.setString(1, stored.name());
            s.setInt(2, stored.version());
            s.setString(3, json.writeValueAsString(stored.plan()));
            s.setString(4, selector);
            s.setString(5, mode.name());
            s.setString(6, actor);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void insertWaves(Connection c, long id, List<List<WavePlanner.Candidate>> waves) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into wave (rollout_id, number, state, hosts, started_at) "
                + "values (?, ?, ?, ?, case when ? = 0 then now() end)")) {
            for (int n = 0; n < waves.size(); n++) {
                s.setLong(1, id);
                s.setInt(2, n);
                s.setString(3, n == 0 ? "RUNNING" : "PENDING");
                s.setInt(4, waves.get(n).size());
                s.setInt(5, n);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static void insertTasks(Connection c, long id, List<List<WavePlanner.Candidate>> waves,
            List<Inventory.HostRef> skipped, String spreadLabel, List<Inventory.HostRef> hosts) throws SQLException {
        Map<Long, Map<String, String>> labels = new TreeMap<>();
        hosts.forEach(h -> labels.put(h.id(), h.labels()));
        try (PreparedStatement s = c.prepareStatement("insert into host_task (rollout_id, wave, host_id, host_name, "
                + "spread_value, state, error, finished_at) values (?, ?, ?, ?, ?, ?, ?, case when ? then now() end)")) {
            for (int n = 0; n < waves.size(); n++) {
                for (WavePlanner.Candidate host : waves.get(n)) {
                    task(s, id, n, host.id(), host.name(), spread(labels.get(host.id()), spreadLabel), TaskState.QUEUED, null);
                }
            }
            for (Inventory.HostRef host : skipped) {
                task(s, id, 0, host.id(), host.name(), spread(host.labels(), spreadLabel), TaskState.SKIPPED, host.skipReason());
            }
            s.executeBatch();
        }
    }

    private static String spread(Map<String, String> labels, String spreadLabel) {
        return spreadLabel == null ? null : labels.getOrDefault(spreadLabel, "");
    }

    private static void task(PreparedStatement s, long rollout, int wave, long hostId, String host, String spread,
            TaskState state, String error) throws SQLException {
        s.setLong(1, rollout);
        s.setInt(2, wave);
        s.setLong(3, hostId);
        s.setString(4, host);
        s.setString(5, spread);
        s.setString(6, state.name());
        s.setString(7, error);
        s.setBoolean(8, state.isTerminal());
        s.addBatch();
    }

    /** Opens the wave that waits for approval. */
    @Transactional
    public RolloutView approve(long id, String actor) {
        return control(id, "approve", actor, (c, state, wave) -> {
            if (state != RolloutState.AWAITING_APPROVAL) {
                throw new dev.ballast.problem.ConflictException("rollout " + id + " is " + state + "; nothing waits for approval");
            }
            state.moveTo(RolloutState.RUNNING, "approve");
            try (PreparedStatement s = c.prepareStatement("update wave set approved_by = ?, approved_at = now() "
                    + "where rollout_id = ? and number = ?")) {
                s.setString(1, actor);
                s.setLong(2, id);
                s.setInt(3, wave);
                s.executeUpdate();
            }
            // The pause is between waves: a first wave held for approval opens at once.
            Coordinator.openWave(c, id, wave, wave == 0 ? 0 : rolloutPlans.of(id).plan().waves().pauseSeconds());
            return RolloutState.RUNNING;
        });
    }

    /** Stops claiming; hosts in flight finish. */
    @Transactional
    public RolloutView pause(long id, String actor) {
        return control(id, "pause", actor, (c, state, wave) -> state.moveTo(RolloutState.PAUSED, "pause"));
    }

    /** Claims again; a wave that was waiting for approval still waits. */
    @Transactional
    public RolloutView resume(long id, String actor) {
        return control(id, "resume", actor, (c, state, wave) -> {
            if (state != RolloutState.PAUSED) {
                throw new dev.ballast.problem.ConflictException("rollout " + id + " is " + state + ", not PAUSED");
            }
            boolean waiting = countRows(c, "select count(*) from wave where rollout_id = ? and number = ? and state = 'PENDING'",
                    id, wave) == 1;
            return state.moveTo(waiting ? RolloutState.AWAITING_APPROVAL : RolloutState.RUNNING, "resume");
        });
    }

    /** Stops for good: queued hosts are cancelled, hosts in flight finish cleanly. */
    @Transactional
    public RolloutView cancel(long id, String actor) {
        return control(id, "cancel", actor, (c, state, wave) -> {
            RolloutState next = state.moveTo(RolloutState.CANCELLED, "cancel");
            try (PreparedStatement s = c.prepareStatement("update host_task set state = 'CANCELLED', finished_at = now() "
                    + "where rollout_id = ? and state = 'QUEUED'")) {
                s.setLong(1, id);
                s.executeUpdate();
            }
            return next;
        });
    }

    /**
     * A new attempt for the hosts that failed or were rolled back, and only those, in their own waves. A
     * halted or failed rollout only: elsewhere it would slip past a pause or an approval.
     */
    @Transactional
    public RolloutView retryFailed(long id, String actor) {
        return control(id, "retry the failed hosts of", actor, (c, state, wave) -> {
            if (state != RolloutState.HALTED && state != RolloutState.FAILED) {
                throw new dev.ballast.problem.ConflictException("cannot retry the failed hosts of a rollout that is " + state
                        + "; only a HALTED or FAILED one");
            }
            RolloutState next = state.moveTo(RolloutState.RUNNING, "retry the failed hosts of");
            int requeued;
            try (PreparedStatement s = c.prepareStatement("update host_task set state = 'QUEUED', finished_at = null "
                    + "where rollout_id = ? and state in ('FAILED', 'ROLLED_BACK')")) {
                s.setLong(1, id);
                requeued = s.executeUpdate();
            }
            if (requeued == 0) {
                throw new dev.ballast.problem.ConflictException("rollout " + id + " has no failed hosts");
            }
            // Only the waves the failed hosts belong to open again, at once: they were open before. Later waves
            // stay PENDING for the coordinator, which opens them through their pause and approval as always.
            try (PreparedStatement s = c.prepareStatement("update wave set state = 'RUNNING', finished_at = null, not_before = null "
                    + "where rollout_id = ? and state = 'FAILED' and number in (select distinct wave "
                    + "from host_task where rollout_id = ? and state = 'QUEUED')")) {
                s.setLong(1, id);
                s.setLong(2, id);
                s.executeUpdate();
            }
            return next;
        });
    }

    private interface Control {
        RolloutState apply(Connection c, RolloutState state, int currentWave) throws SQLException;
    }

    private RolloutView control(long id, String action, String actor, Control control) {
        RolloutView before = get(id);
        try (Connection c = db.getConnection()) {
            RolloutState state;
            int wave;
            try (PreparedStatement s = c.prepareStatement("select state, current_wave from rollout where id = ? for update")) {
                s.setLong(1, id);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    state = RolloutState.valueOf(r.getString(1));
                    wave = r.getInt(2);
                }
            }
            RolloutState next = control.apply(c, state, wave);
            Coordinator.finish(c, id, next.name(), next == RolloutState.RUNNING ? null : action + " by " + actor);
        } catch (SQLException e) {
            throw new IllegalStateException("changing rollout " + id + " failed", e);
        }
        RolloutView after = get(id);
        audit.record("rollout." + action.split(" ")[0], "rollout/" + id, Map.of("state", before.state()),
                Map.of("state", after.state()));
        return after;
    }

    private static int countRows(Connection c, String sql, long id, int wave) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, id);
            s.setInt(2, wave);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    /** A host's task in a rollout, as the paged host list shows it. */
    public record HostTaskView(String host, int wave, String state, int attempt, String errorKind, String error,
            Instant startedAt, Instant finishedAt) {
    }

    public record HostPage(List<HostTaskView> items, int page, int size, long total) {
    }

    /** The rollout's hosts a page at a time, optionally only those in one state. */
    public HostPage hosts(long id, String state, int page, int size) {
        get(id);
        String filter = state == null ? "" : " and state = ?";
        try (Connection c = db.getConnection();
                PreparedStatement count = c.prepareStatement("select count(*) from host_task where rollout_id = ?" + filter);
                PreparedStatement rows = c.prepareStatement("select host_name, wave, state, attempt, error_kind, error, "
                        + "started_at, finished_at from host_task where rollout_id = ?" + filter
                        + " order by wave, host_name limit ? offset ?")) {
            count.setLong(1, id);
            rows.setLong(1, id);
            int next = 2;
            if (state != null) {
                count.setString(2, state);
                rows.setString(2, state);
                next = 3;
            }
            rows.setInt(next, size);
            rows.setLong(next + 1, (long) page * size);
            long total;
            try (ResultSet r = count.executeQuery()) {
                r.next();
                total = r.getLong(1);
            }
            List<HostTaskView> items = new ArrayList<>();
            try (ResultSet r = rows.executeQuery()) {
                while (r.next()) {
                    items.add(new HostTaskView(r.getString(1), r.getInt(2), r.getString(3), r.getInt(4), r.getString(5),
                            r.getString(6), instant(r.getTimestamp(7)), instant(r.getTimestamp(8))));
                }
            }
            return new HostPage(items, page, size, total);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the hosts of rollout " + id + " failed", e);
        }
    }

    /** One step record of a host, as its history shows it. */
    public record StepView(int attempt, int position, String kind, String name, String outcome, Object before, Object after,
            Object drift, String detail, String output, Integer exitCode, long durationMs, String instance, Instant at) {
    }

    public record HostDetail(HostTaskView task, List<StepView> history) {
    }

    /** A host's task in the rollout with every record of every attempt. */
    public HostDetail host(long id, String host) {
        get(id);
        HostTaskView task;
        List<StepView> history = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement t = c.prepareStatement("select host_name, wave, state, attempt, error_kind, error, started_at, "
                        + "finished_at from host_task where rollout_id = ? and host_name = ?")) {
            t.setLong(1, id);
            t.setString(2, host);
            try (ResultSet r = t.executeQuery()) {
                if (!r.next()) {
                    throw new NotFoundException("rollout " + id + " has no host " + host);
                }
                task = new HostTaskView(r.getString(1), r.getInt(2), r.getString(3), r.getInt(4), r.getString(5),
                        r.getString(6), instant(r.getTimestamp(7)), instant(r.getTimestamp(8)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading host " + host + " of rollout " + id + " failed", e);
        }
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select r.attempt, r.position, r.kind, r.name, r.outcome, "
                        + "cast(r.before as text), cast(r.after as text), cast(r.drift as text), r.detail, r.output, r.exit_code, "
                        + "r.duration_ms, r.instance, r.at from step_result r join host_task t on t.id = r.task_id "
                        + "where t.rollout_id = ? and t.host_name = ? order by r.id")) {
            s.setLong(1, id);
            s.setString(2, host);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    history.add(new StepView(r.getInt(1), r.getInt(2), r.getString(3), r.getString(4), r.getString(5),
                            tree(r.getString(6)), tree(r.getString(7)), tree(r.getString(8)), r.getString(9), r.getString(10),
                            (Integer) r.getObject(11), r.getLong(12), r.getString(13), instant(r.getTimestamp(14))));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading host " + host + " of rollout " + id + " failed", e);
        }
        return new HostDetail(task, history);
    }

    private Object tree(String text) {
        try {
            return text == null ? null : json.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A rollout in the list: what ran, where, and how far it got. */
    public record RolloutSummary(long id, String plan, int planVersion, String selector, String mode, String state,
            int currentWave, Instant createdAt, Instant finishedAt) {
    }

    /** The newest rollouts first, optionally only those in one state. */
    public List<RolloutSummary> list(RolloutState state, int page, int size) {
        String filter = state == null ? "" : " where state = ?";
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select id, plan_name, plan_version, selector, mode, state, current_wave, "
                        + "created_at, finished_at from rollout" + filter + " order by id desc limit ? offset ?")) {
            int next = 1;
            if (state != null) {
                s.setString(next++, state.name());
            }
            s.setInt(next++, size);
            s.setLong(next, (long) page * size);
            List<RolloutSummary> rollouts = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rollouts.add(new RolloutSummary(r.getLong(1), r.getString(2), r.getInt(3), r.getString(4), r.getString(5),
                            r.getString(6), r.getInt(7), instant(r.getTimestamp(8)), instant(r.getTimestamp(9))));
                }
            }
            return rollouts;
        } catch (SQLException e) {
            throw new IllegalStateException("listing rollouts failed", e);
        }
    }

    public RolloutView get(long id) {
        try (Connection c = db.getConnection()) {
            RolloutView head;
            try (PreparedStatement s = c.prepareStatement("select plan_name, plan_version, selector, mode, state, current_wave, "
                    + "reason, created_by, created_at, finished_at from rollout where id = ?")) {
                s.setLong(1, id);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        throw new NotFoundException("no rollout " + id);
                    }
                    head = new RolloutView(id, r.getString(1), r.getInt(2), r.getString(3), r.getString(4), r.getString(5),
                            r.getInt(6), r.getString(7), r.getString(8), instant(r.getTimestamp(9)),
                            instant(r.getTimestamp(10)), List.of(), Map.of());
                }
            }
            Map<Integer, Map<String, Integer>> counts = new TreeMap<>();
            Map<String, Integer> totals = new TreeMap<>();
            try (PreparedStatement s = c.prepareStatement("select wave, state, count(*) from host_task where rollout_id = ? "
                    + "group by wave, state")) {
                s.setLong(1, id);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        counts.computeIfAbsent(r.getInt(1), w -> new TreeMap<>()).put(r.getString(2), r.getInt(3));
                        totals.merge(r.getString(2), r.getInt(3), Integer::sum);
                    }
                }
            }
            List<RolloutView.WaveView> waves = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("select number, state, hosts, not_before, approved_by from wave "
                    + "where rollout_id = ? order by number")) {
                s.setLong(1, id);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        Map<String, Integer> waveCounts = counts.getOrDefault(r.getInt(1), Map.of());
                        int all = waveCounts.values().stream().mapToInt(Integer::intValue).sum();
                        int done = waveCounts.entrySet().stream().filter(e -> TaskState.valueOf(e.getKey()).isTerminal())
                                .mapToInt(Map.Entry::getValue).sum();
                        waves.add(new RolloutView.WaveView(r.getInt(1), r.getString(2), r.getInt(3),
                                instant(r.getTimestamp(4)), r.getString(5), new LinkedHashMap<>(waveCounts),
                                all == 0 ? 100 : done * 100 / all));
                    }
                }
            }
            return new RolloutView(head.id(), head.plan(), head.planVersion(), head.selector(), head.mode(), head.state(),
                    head.currentWave(), head.reason(), head.createdBy(), head.createdAt(), head.finishedAt(), waves, totals);
        } catch (SQLException e) {
            throw new IllegalStateException("reading rollout " + id + " failed", e);
        }
    }

    static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
