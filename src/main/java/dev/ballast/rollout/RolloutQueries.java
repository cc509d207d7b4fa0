package dev.ballast.rollout;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ballast.jdbc.Jdbc;
import dev.ballast.plan.WavePolicy;
import dev.ballast.problem.NotFoundException;
import dev.ballast.queue.TaskState;
import jakarta.enterprise.context.ApplicationScoped;

/** The read side of rollouts: a rollout with its waves and counts, the list, its hosts, one host's history. */
@ApplicationScoped
public class RolloutQueries {

    private final Jdbc jdbc;
    private final ObjectMapper json;
    private final RolloutPlans plans;

    private final WaveGates gates;

    RolloutQueries(Jdbc jdbc, ObjectMapper json, RolloutPlans plans, WaveGates gates) {
        this.jdbc = jdbc;
        this.json = json;
        this.plans = plans;
        this.gates = gates;
    }

    public RolloutView get(long id) {
        RolloutView head = jdbc.one("select plan_name, plan_version, selector, mode, state, current_wave, reason, created_by, "
                + "created_at, finished_at from rollout where id = ?", r -> new RolloutView(id, r.getString(1), r.getInt(2),
                        r.getString(3), r.getString(4), r.getString(5), r.getInt(6), r.getString(7), r.getString(8),
                        instant(r.getTimestamp(9)), instant(r.getTimestamp(10)), List.of(), Map.of()), id)
                .orElseThrow(() -> new NotFoundException("no rollout " + id));
        record Count(int wave, String state, int tasks) {
        }
        Map<Integer, Map<String, Integer>> counts = new TreeMap<>();
        Map<String, Integer> totals = new TreeMap<>();
        for (Count count : jdbc.list("select wave, state, count(*) from host_task where rollout_id = ? group by wave, state",
                r -> new Count(r.getInt(1), r.getString(2), r.getInt(3)), id)) {
            counts.computeIfAbsent(count.wave(), w -> new TreeMap<>()).put(count.state(), count.tasks());
            totals.merge(count.state(), count.tasks(), Integer::sum);
        }
        WavePolicy policy = plans.of(id).plan().waves();
        Map<Integer, List<RolloutView.GateView>> gated = gates.of(id, policy);
        List<RolloutView.WaveView> waves = jdbc.list("select number, state, hosts, not_before, approved_by, started_at, "
                + "finished_at from wave where rollout_id = ? order by number", r -> {
                    Map<String, Integer> ofWave = counts.getOrDefault(r.getInt(1), Map.of());
                    int all = ofWave.values().stream().mapToInt(Integer::intValue).sum();
                    int done = ofWave.entrySet().stream().filter(e -> TaskState.valueOf(e.getKey()).isTerminal())
                            .mapToInt(Map.Entry::getValue).sum();
                    int number = r.getInt(1);
                    return new RolloutView.WaveView(number, policy.waveName(number), r.getString(2),
                            r.getInt(3), instant(r.getTimestamp(4)), r.getString(5), instant(r.getTimestamp(6)),
                            instant(r.getTimestamp(7)), new LinkedHashMap<>(ofWave), all == 0 ? 100 : done * 100 / all,
                            gated.getOrDefault(number, List.of()));
                }, id);
        return new RolloutView(head.id(), head.plan(), head.planVersion(), head.selector(), head.mode(), head.state(),
                head.currentWave(), head.reason(), head.createdBy(), head.createdAt(), head.finishedAt(), waves, totals);
    }

    /** The newest rollouts first, optionally only those in one state. */
    public List<RolloutSummary> list(RolloutState state, int page, int size) {
        return jdbc.list("select id, plan_name, plan_version, selector, mode, state, current_wave, created_at, finished_at "
                + "from rollout where (cast(? as text) is null or state = ?) order by id desc limit ? offset ?",
                r -> new RolloutSummary(r.getLong(1), r.getString(2), r.getInt(3), r.getString(4), r.getString(5), r.getString(6),
                        r.getInt(7), instant(r.getTimestamp(8)), instant(r.getTimestamp(9))),
                state, state, size, (long) page * size);
    }

    /** The rollout's hosts a page at a time, optionally only those in one state. */
    public HostTaskView.Page hosts(long id, TaskState state, int page, int size) {
        get(id);
        String filter = " where rollout_id = ? and (cast(? as text) is null or state = ?)";
        long total = jdbc.count("select count(*) from host_task" + filter, id, state, state);
        List<HostTaskView> items = jdbc.list("select " + TASK_COLUMNS + " from host_task" + filter
                + " order by wave, host_name limit ? offset ?", RolloutQueries::task, id, state, state, size, (long) page * size);
        return new HostTaskView.Page(items, page, size, total);
    }

    /** A host's task in the rollout with every record of every attempt. */
    public HostTaskView.Detail host(long id, String host) {
        get(id);
        HostTaskView task = jdbc.one("select " + TASK_COLUMNS + " from host_task where rollout_id = ? and host_name = ?",
                RolloutQueries::task, id, host).orElseThrow(() -> new NotFoundException("rollout " + id + " has no host " + host));
        List<HostTaskView.StepView> history = jdbc.list("select r.attempt, r.position, r.kind, r.name, r.outcome, "
                + "cast(r.before as text), cast(r.after as text), cast(r.drift as text), r.detail, r.output, r.exit_code, "
                + "r.duration_ms, r.instance, r.at, cast(r.domain_logs as text) from step_result r join host_task t on t.id = r.task_id "
                + "where t.rollout_id = ? and t.host_name = ? order by r.id",
                r -> new HostTaskView.StepView(r.getInt(1), r.getInt(2), r.getString(3), r.getString(4), r.getString(5),
                        tree(r.getString(6)), tree(r.getString(7)), tree(r.getString(8)), r.getString(9), r.getString(10),
                        (Integer) r.getObject(11), r.getLong(12), r.getString(13), instant(r.getTimestamp(14)),
                        tree(r.getString(15))), id, host);
        return new HostTaskView.Detail(task, history);
    }

    /**
     * The rollout's hosts grouped by one label's value (a rack, a zone), each with its task's state: whether
     * failures cluster in one failure domain. {@code label} null means the plan's spread label, else rack or
     * zone when the hosts have one.
     */
    public FailureDomains failureDomains(long id, String label) {
        List<String> labels = jdbc.list("select distinct jsonb_object_keys(h.labels) from host_task t join host h on h.id = t.host_id "
                + "where t.rollout_id = ? order by 1", r -> r.getString(1), id);
        String spread = plans.of(id).plan().waves().spreadLabel();
        String chosen = label != null ? label : java.util.stream.Stream.of(spread, "rack", "zone").filter(labels::contains).findFirst()
                .orElse(labels.isEmpty() ? null : labels.get(0));
        Map<String, FailureDomains.Domain> domains = new LinkedHashMap<>();
        record Row(String value, String host, String state) {
        }
        if (chosen != null) {
            for (Row row : jdbc.list("select coalesce(h.labels ->> ?, ''), t.host_name, t.state from host_task t "
                    + "join host h on h.id = t.host_id where t.rollout_id = ? order by 1, 2",
                    r -> new Row(r.getString(1), r.getString(2), r.getString(3)), chosen, id)) {
                domains.computeIfAbsent(row.value(), FailureDomains.Domain::of).add(row.host(), row.state());
            }
        }
        return new FailureDomains(chosen, labels, List.copyOf(domains.values()));
    }

    static final String TASK_COLUMNS = "host_name, wave, state, attempt, error_kind, error, started_at, finished_at";

    private static HostTaskView task(ResultSet r) throws SQLException {
        return task(r, 1);
    }

    /** A task from {@link #TASK_COLUMNS}, read from column {@code from} on. */
    static HostTaskView task(ResultSet r, int from) throws SQLException {
        return new HostTaskView(r.getString(from), r.getInt(from + 1), r.getString(from + 2), r.getInt(from + 3),
                r.getString(from + 4), r.getString(from + 5), instant(r.getTimestamp(from + 6)), instant(r.getTimestamp(from + 7)));
    }

    private Object tree(String text) {
        try {
            return text == null ? null : json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
