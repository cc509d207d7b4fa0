package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.ballast.remote.RemoteShell;

/**
 * The life of one step on one lab host, as every step test walks it: probe, apply, verify, apply
 * again (already compliant), roll back to the captured state and probe that state back.
 */
final class StepOnLab {

    private StepOnLab() {
    }

    static <P> TuningStep.Configured<P> configure(TuningStep<P> step, Map<String, String> params) {
        return step.configure("step", params);
    }

    /** Runs the full cycle and returns the state captured before apply. */
    static StepState fullCycle(RemoteShell shell, TuningStep.Configured<?> step) throws Exception {
        StepState before = step.probe(shell);
        assertThat(step.drift(before)).as("the lab host starts out of compliance").isNotEmpty();

        step.apply(shell, before);
        Verification verification = step.verify(shell);
        assertThat(verification.passed(step.effect())).as(verification.note()).isTrue();
        assertThat(step.drift(step.probe(shell))).as("compliant after apply").isEmpty();

        step.rollback(shell, RestorePoint.of(before));
        assertThat(step.probe(shell)).as("rollback restores exactly the captured state").isEqualTo(before);
        return before;
    }
}
