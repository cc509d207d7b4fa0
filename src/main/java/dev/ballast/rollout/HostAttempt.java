package dev.ballast.rollout;

import java.util.ArrayList;
import java.util.List;

import dev.ballast.queue.Claimed;
import dev.ballast.remote.SshSession;

/** One attempt of a host task under way: the connection, the task, its rollout's plan, and the lines it records. */
record HostAttempt(SshSession shell, Claimed task, RolloutPlans.RolloutPlan rollout, Lines lines) {

    /** Starts a line of this attempt's history; its duration runs from here. */
    StepRecord.Builder line(int position, StepRecord.Kind kind, String name) {
        return StepRecord.start(task, position, kind, name);
    }

    void add(StepRecord record) {
        lines.add(record);
    }

    /** Writes the lines so far before the host is changed again: a crash then keeps what this attempt did. */
    void flush() {
        lines.flush();
    }

    /** The same attempt over another connection (after reconnecting). */
    HostAttempt on(SshSession other) {
        return new HostAttempt(other, task, rollout, lines);
    }

    /** The lines of an attempt: written as it goes where a crash must not lose them, the rest with the task's end. */
    static final class Lines {
        private final ResultWriter writer;
        private final long taskId;
        private final String instance;
        private final List<StepRecord> pending = new ArrayList<>();

        Lines(ResultWriter writer, long taskId, String instance) {
            this.writer = writer;
            this.taskId = taskId;
            this.instance = instance;
        }

        void add(StepRecord record) {
            pending.add(record);
        }

        void flush() {
            if (!pending.isEmpty()) {
                writer.writeNow(taskId, instance, pending);
                pending.clear();
            }
        }

        List<StepRecord> unwritten() {
            return List.copyOf(pending);
        }
    }
}
