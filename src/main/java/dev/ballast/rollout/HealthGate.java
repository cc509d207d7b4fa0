package dev.ballast.rollout;

import java.util.Locale;
import java.util.Map;

import dev.ballast.catalog.CheckResult;
import dev.ballast.plan.Plan;
import dev.ballast.remote.RemoteFailure;

/**
 * With {@code waves.fioMaxDropPercent}, the host's fio-baseline check runs again after its steps: IOPS
 * more than that percentage below the preflight measurement fail the host, which is then rolled back.
 */
final class HealthGate {

    private HealthGate() {
    }

    /** Null when the host is healthy or the plan has no gate; else the failure that rolls it back. */
    static TaskOutcome judge(HostAttempt attempt, Map<Integer, CheckResult> baseline) throws RemoteFailure {
        Plan plan = attempt.rollout().plan();
        Integer maxDrop = plan.waves().fioMaxDropPercent();
        int position = fioBaselinePosition(plan);
        if (maxDrop == null || position < 0) {
            return null;
        }
        StepRecord.Builder line = attempt.line(position, StepRecord.Kind.CHECK,
                "health:" + plan.preflight().get(position).id());
        double before = iops(baseline.get(position));
        double now = iops(attempt.rollout().checks().get(position).run(attempt.shell()));
        boolean healthy = before > 0 && now >= before * (100 - maxDrop) / 100.0;
        String detail = String.format(Locale.ROOT, "iops=%.0f after the steps, %.0f before; at most %d%% less allowed",
                now, before, maxDrop);
        attempt.add(line.detail(detail).end(healthy ? StepOutcome.PASSED : StepOutcome.FAILED));
        return healthy ? null : TaskOutcome.failed(ErrorKind.HEALTH_GATE, "fio after the steps: " + detail);
    }

    private static int fioBaselinePosition(Plan plan) {
        for (int i = 0; i < plan.preflight().size(); i++) {
            if (plan.preflight().get(i).id().equals("fio-baseline")) {
                return i;
            }
        }
        return -1;
    }

    private static double iops(CheckResult fio) {
        return fio == null || !fio.figures().containsKey("iops") ? 0 : Double.parseDouble(fio.figures().get("iops"));
    }
}
