package dev.ballast.catalog;

import java.util.List;
import java.util.Map;

import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * A read-only check run before any step touches a host. A check never changes the host; it passes,
 * fails with what it saw, or says it does not apply.
 *
 * @param <P> the check's validated parameters
 */
public abstract class PreflightCheck<P> implements CatalogEntry {

    @Override
    public final String kind() {
        return "check";
    }

    protected abstract P parse(Parameters params);

    public abstract CheckResult run(RemoteShell shell, P params) throws RemoteFailure;

    /** What the host itself says about this check's failure: the QEMU logs of domains that should be running and are not. */
    public List<DomainLog> diagnose(RemoteShell shell, P params) throws RemoteFailure {
        return List.of();
    }

    public final Configured<P> configure(String field, Map<String, String> raw) {
        Parameters params = new Parameters(field, raw);
        P parsed = parse(params);
        params.finish(parameters());
        return new Configured<>(this, parsed);
    }

    public record Configured<P>(PreflightCheck<P> check, P params) {

        public CheckResult run(RemoteShell shell) throws RemoteFailure {
            return check.run(shell, params);
        }

        public List<DomainLog> diagnose(RemoteShell shell) throws RemoteFailure {
            return check.diagnose(shell, params);
        }
    }
}
