package dev.ballast.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.ballast.jdbc.Jdbc;
import dev.ballast.plan.WavePolicy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the health gate saw on each wave's hosts, for whoever approves the next wave: per signal, how many
 * hosts passed and failed, and the figure that tells how close the wave came (the worst IOPS ratio and its
 * host; the kernel's new I/O errors). Read from each host's latest gate line, whose before and after
 * facts {@link HealthGate} records.
 */
@ApplicationScoped
class WaveGates {

    private final Jdbc jdbc;

    WaveGates(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    Map<Integer, List<RolloutView.GateView>> of(long rollout, WavePolicy policy) {
        Map<Integer, List<RolloutView.GateView>> byWave = new TreeMap<>();
        if (policy.healthGate().isEmpty()) {
            return byWave;
        }
        jdbc.list("select wave, substr(name, 8), count(*) filter (where outcome = 'PASSED'), count(*) filter (where outcome = 'FAILED'), "
                + "min(ratio), (array_agg(host_name order by ratio nulls last))[1], sum(errors), count(*) filter (where errors > 0) "
                + "from (select distinct on (s.task_id, s.name) t.wave, t.host_name, s.name, s.outcome, "
                + "  cast(s.after ->> 'iops' as float8) / nullif(cast(s.before ->> 'iops' as float8), 0) as ratio, "
                + "  cast(s.after ->> 'errors' as integer) as errors "
                + "  from host_task t join step_result s on s.task_id = t.id "
                + "  where t.rollout_id = ? and s.kind = 'CHECK' and s.name like 'health:%' order by s.task_id, s.name, s.id desc) latest "
                + "group by wave, name order by wave, name",
                r -> {
                    String signal = r.getString(2);
                    Double ratio = (Double) r.getObject(5);
                    String figure = switch (signal) {
                        case "fio-baseline" -> ratio == null ? null : String.format(Locale.ROOT,
                                "IOPS after the steps at worst %.0f%% of the preflight's, on %s (at least %d%% required)",
                                ratio * 100, r.getString(6), 100 - policy.fioMaxDropPercent());
                        case "kernel-io-errors" -> r.getObject(7) == null ? null : r.getLong(7) == 0 ? "no new I/O errors"
                                : r.getLong(7) + " new I/O errors on " + r.getInt(8) + (r.getInt(8) == 1 ? " host" : " hosts");
                        default -> null;
                    };
                    return Map.entry(r.getInt(1), new RolloutView.GateView(signal, r.getInt(3), r.getInt(4), figure));
                }, rollout)
                .forEach(e -> byWave.computeIfAbsent(e.getKey(), w -> new ArrayList<>()).add(e.getValue()));
        return byWave;
    }
}
