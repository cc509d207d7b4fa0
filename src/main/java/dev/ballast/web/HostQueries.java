package dev.ballast.web;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.ballast.inventory.HostView;
import dev.ballast.jdbc.Jdbc;
import dev.ballast.queue.TaskState;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the hosts list and a host's page show beside the inventory: each host's last rollout, its drift in
 * the latest sweep run that checked it, its guests waiting for a cold restart, and where each step stands.
 */
@ApplicationScoped
class HostQueries {

    /** A host's state columns; {@code driftRun} is null when no finished sweep run has checked it. */
    record State(int pendingRestarts, Long lastRollout, String lastOutcome, Long driftRun, int driftedFacts) {
        static final State NONE = new State(0, null, null, null, 0);
    }

    /** A row of the hosts list. */
    public record Line(HostView host, State state) {
    }

    /** Where one step stands on a host: its latest result in any rollout, with that rollout. */
    record StepNow(String step, String outcome, Instant at, long rollout, String mode) {
    }

    /**
     * The latest web rollback of one rollout's changes on a host: what the host page says after a reload,
     * however the rollback ended ({@code error} is the task's reason when it did not succeed).
     */
    record RollbackRun(long id, String state, String error, String by, Instant at) {
        boolean running() {
            return !TaskState.valueOf(state).isTerminal();
        }
    }

    private final Jdbc jdbc;

    HostQueries(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The page's hosts with their states, in one statement. The last rollout leaves out check runs (the
     * drift column says what those found); a sweep run checked a host when its task came to COMPLIANT or
     * DRIFTED, so a host skipped in maintenance keeps the finding of the run before.
     */
    List<Line> lines(List<HostView> hosts) {
        if (hosts.isEmpty()) {
            return List.of();
        }
        Map<String, State> states = new HashMap<>();
        jdbc.list("select h.name, (select count(*) from pending_restart p where p.host_name = h.name), "
                + "lt.rollout_id, lt.state, dr.id, (select count(*) from drift d where d.run_id = dr.id and d.host_name = h.name) "
                + "from host h left join lateral (select t.rollout_id, t.state from host_task t join rollout r on r.id = t.rollout_id "
                + "  where t.host_name = h.name and r.mode <> 'CHECK' order by t.id desc limit 1) lt on true "
                + "left join lateral (select sr.id from sweep_run sr join host_task t on t.rollout_id = sr.rollout_id "
                + "  where t.host_name = h.name and t.state in ('COMPLIANT', 'DRIFTED') and sr.state = 'DONE' "
                + "  order by sr.id desc limit 1) dr on true "
                + "where h.name = any(string_to_array(?, ','))",
                r -> Map.entry(r.getString(1), new State(r.getInt(2), (Long) r.getObject(3), r.getString(4), (Long) r.getObject(5),
                        r.getInt(6))),
                String.join(",", hosts.stream().map(HostView::name).toList())).forEach(e -> states.put(e.getKey(), e.getValue()));
        return hosts.stream().map(h -> new Line(h, states.getOrDefault(h.name(), State.NONE))).toList();
    }

    /** Each rollout's latest rollback on the host, by the rollout it undoes. */
    Map<Long, RollbackRun> rollbacks(String host) {
        Map<Long, RollbackRun> byRollout = new HashMap<>();
        jdbc.list("select distinct on (r.rolls_back) r.rolls_back, r.id, t.state, t.error, r.created_by, "
                + "coalesce(t.finished_at, t.started_at, r.created_at) from rollout r join host_task t on t.rollout_id = r.id "
                + "where r.mode = 'ROLLBACK' and t.host_name = ? order by r.rolls_back, r.id desc",
                r -> Map.entry(r.getLong(1), new RollbackRun(r.getLong(2), r.getString(3), r.getString(4), r.getString(5),
                        r.getTimestamp(6).toInstant())), host).forEach(e -> byRollout.put(e.getKey(), e.getValue()));
        return byRollout;
    }

    /** The latest result of each step on the host, by step name: its apply, or the rollback that undid it. */
    List<StepNow> steps(String host) {
        return jdbc.list("select distinct on (s.name) s.name, s.outcome, s.at, t.rollout_id, r.mode from step_result s "
                + "join host_task t on t.id = s.task_id join rollout r on r.id = t.rollout_id "
                + "where t.host_name = ? and s.kind in ('STEP', 'ROLLBACK') order by s.name, s.id desc",
                r -> new StepNow(r.getString(1), r.getString(2), r.getTimestamp(3).toInstant(), r.getLong(4), r.getString(5)), host);
    }
}
