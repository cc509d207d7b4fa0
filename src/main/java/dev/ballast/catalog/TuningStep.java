package dev.ballast.catalog;

import java.util.List;
import java.util.Map;

import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * One storage-tuning step of the catalog. A step probes the current state into facts, says which facts
 * drift from what it wants, applies, verifies, and rolls back to a captured state (the rollback point,
 * taken by a probe before apply). Steps hold no state of their own: everything they know of a host
 * comes through the shell and goes back in the returned values.
 *
 * @param <P> the step's validated parameters
 */
public abstract class TuningStep<P> implements CatalogEntry {

    @Override
    public final String kind() {
        return "step";
    }

    /** When the change starts to act. */
    public abstract Effect effect();

    /** When the change starts to act with these parameters; most steps act the same way whatever they are given. */
    public Effect effect(P params) {
        return effect();
    }

    /** Whether the applied change is still there after the host reboots. */
    public abstract boolean survivesReboot();

    protected abstract P parse(Parameters params);

    public abstract StepState probe(RemoteShell shell, P params) throws RemoteFailure, StepRefusal;

    /** The facts of {@code current} that are not what the step wants; empty means compliant. */
    public abstract List<Drift> drift(StepState current, P params);

    /** Changes the host; {@code before} is the probe that was committed as the rollback point. */
    public abstract void apply(RemoteShell shell, P params, StepState before) throws RemoteFailure, StepRefusal;

    public abstract Verification verify(RemoteShell shell, P params) throws RemoteFailure, StepRefusal;

    /**
     * What is applied but not yet in effect, judged on a probe that showed no drift: check mode calls a
     * host whose configuration is right but whose running guests still use the old one PENDING_RESTART,
     * not COMPLIANT. Only changes that wait for a domain's cold start can be pending.
     */
    public List<PendingRestart> pendingRestart(RemoteShell shell, P params, StepState current) throws RemoteFailure {
        return List.of();
    }

    /**
     * What the host itself says about this step's failure, read after it failed: the QEMU logs of the domains the
     * step works on. Steps that touch no domain have none.
     */
    public List<DomainLog> diagnose(RemoteShell shell, P params) throws RemoteFailure {
        return List.of();
    }

    /** Puts back what {@code captured} says, or refuses with the reason it cannot. */
    public abstract void rollback(RemoteShell shell, P params, StepState captured) throws RemoteFailure, StepRefusal;

    /**
     * A refusal to roll back that an operator may overrule (a forced rollback skips it), judged before
     * anything is restored: the host has changed since Ballast applied in a way a restore would trample.
     * Refusals no force may overrule belong in {@link #rollback}.
     */
    protected void guardRollback(RemoteShell shell, P params, RestorePoint point) throws RemoteFailure, StepRefusal {
    }

    /** Validates raw parameters; every problem is reported under {@code field}. */
    public final Configured<P> configure(String field, Map<String, String> raw) {
        Parameters params = new Parameters(field, raw);
        P parsed = parse(params);
        params.finish(parameters());
        return new Configured<>(this, parsed);
    }

    /** A step bound to its validated parameters, ready to run on any host. */
    public record Configured<P>(TuningStep<P> step, P params) {

        public StepState probe(RemoteShell shell) throws RemoteFailure, StepRefusal {
            return step.probe(shell, params);
        }

        public Effect effect() {
            return step.effect(params);
        }

        public List<Drift> drift(StepState current) {
            return step.drift(current, params);
        }

        public void apply(RemoteShell shell, StepState before) throws RemoteFailure, StepRefusal {
            step.apply(shell, params, before);
        }

        public Verification verify(RemoteShell shell) throws RemoteFailure, StepRefusal {
            return step.verify(shell, params);
        }

        public List<PendingRestart> pendingRestart(RemoteShell shell, StepState current) throws RemoteFailure {
            return step.pendingRestart(shell, params, current);
        }

        public List<DomainLog> diagnose(RemoteShell shell) throws RemoteFailure {
            return step.diagnose(shell, params);
        }

        /** Restores the point, after the step's guard unless the operator forced the rollback. */
        public void rollback(RemoteShell shell, RestorePoint point) throws RemoteFailure, StepRefusal {
            if (!point.forced()) {
                step.guardRollback(shell, params, point);
            }
            step.rollback(shell, params, point.captured());
        }
    }
}
