package dev.ballast.rollout;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import dev.ballast.catalog.CheckResult;
import dev.ballast.catalog.StepState;
import dev.ballast.plan.Plan;
import dev.ballast.remote.RemoteFailure;

/**
 * After a host's steps, the plan's {@code waves.healthGate} reads its signals again against what the
 * preflight saw: fio-baseline's IOPS may fall at most {@code waves.fioMaxDropPercent} below the preflight
 * measurement; kernel-io-errors counts the I/O errors the kernel logged after the last line the preflight
 * read, against the check's own {@code max}. A signal that fails fails the host, which is then rolled back.
 */
final class HealthGate {

    private HealthGate() {
    }

    /** Null when the host is healthy or the plan has no gate; else the failure that rolls it back. */
    static TaskOutcome judge(HostAttempt attempt, Map<Integer, CheckResult> baseline) throws RemoteFailure {
        Plan plan = attempt.rollout().plan();
        for (String signal : plan.waves().healthGate()) {
            int position = position(plan, signal);
            TaskOutcome failed = switch (signal) {
                case "fio-baseline" -> fio(attempt, baseline.get(position), position, plan.waves().fioMaxDropPercent());
                case "kernel-io-errors" -> kernelErrors(attempt, baseline.get(position), position);
                default -> throw new IllegalStateException("the plan parser let an unknown gate signal through: " + signal);
            };
            if (failed != null) {
                return failed;
            }
        }
        return null;
    }

    private static TaskOutcome fio(HostAttempt attempt, CheckResult baseline, int position, int maxDrop) throws RemoteFailure {
        StepRecord.Builder line = attempt.line(position, StepRecord.Kind.CHECK, "health:fio-baseline");
        double before = iops(baseline);
        double now = iops(attempt.rollout().checks().get(position).run(attempt.shell()));
        boolean healthy = before > 0 && now >= before * (100 - maxDrop) / 100.0;
        String detail = String.format(Locale.ROOT, "iops=%.0f after the steps, %.0f before; at most %d%% less allowed",
                now, before, maxDrop);
        // The figures as facts too: the approval banner reads each wave's worst ratio from them (WaveGates).
        attempt.add(line.before(iopsState(before)).after(iopsState(now)).detail(detail)
                .end(healthy ? StepOutcome.PASSED : StepOutcome.FAILED));
        return healthy ? null : TaskOutcome.failed(ErrorKind.HEALTH_GATE, "fio after the steps: " + detail);
    }

    /** The preflight's kernel-io-errors again, counting only what the kernel logged after the last line it read. */
    private static TaskOutcome kernelErrors(HostAttempt attempt, CheckResult baseline, int position) throws RemoteFailure {
        StepRecord.Builder line = attempt.line(position, StepRecord.Kind.CHECK, "health:kernel-io-errors");
        Map<String, String> params = new HashMap<>(attempt.rollout().plan().preflight().get(position).params());
        params.put("since", baseline == null ? "0" : baseline.figures().getOrDefault("last", "0"));
        CheckResult now = attempt.rollout().checks().get(position).check().configure("waves.healthGate", params)
                .run(attempt.shell());
        boolean healthy = now.status() == CheckResult.Status.PASSED;
        String detail = now.observed() + " logged after " + params.get("since") + " s of this boot, where the preflight "
                + "stopped reading; at most " + params.getOrDefault("max", "0") + " allowed";
        attempt.add(line.before(new StepState(Map.of("since", params.get("since"))))
                .after(new StepState(Map.of("errors", now.figures().getOrDefault("errors", "0"))))
                .detail(healthy ? detail : detail + "\n" + now.message()).end(healthy ? StepOutcome.PASSED : StepOutcome.FAILED));
        return healthy ? null : TaskOutcome.failed(ErrorKind.HEALTH_GATE, "the kernel log after the steps: " + now.message());
    }

    private static int position(Plan plan, String check) {
        for (int i = 0; i < plan.preflight().size(); i++) {
            if (plan.preflight().get(i).id().equals(check)) {
                return i;
            }
        }
        throw new IllegalStateException("the plan parser let a gate signal without its preflight check through: " + check);
    }

    private static StepState iopsState(double iops) {
        return new StepState(Map.of("iops", String.format(Locale.ROOT, "%.0f", iops)));
    }

    private static double iops(CheckResult fio) {
        return fio == null || !fio.figures().containsKey("iops") ? 0 : Double.parseDouble(fio.figures().get("iops"));
    }
}
