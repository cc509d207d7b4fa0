package dev.ballast.rollout;

import java.util.List;

import dev.ballast.queue.Claimed;
import dev.ballast.remote.SshSession;

/** One attempt of a host task under way: the connection, the task, its rollout's plan, and the lines it records. */
record HostAttempt(SshSession shell, Claimed task, RolloutPlans.RolloutPlan rollout, List<StepRecord> records) {

    /** Starts a line of this attempt's history; its duration runs from here. */
    StepRecord.Builder line(int position, StepRecord.Kind kind, String name) {
        return StepRecord.start(task, position, kind, name);
    }

    void add(StepRecord record) {
        records.add(record);
    }
}
