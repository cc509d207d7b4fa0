package dev.ballast.catalog;

import java.util.List;
import java.util.Map;

import dev.ballast.inventory.HostName;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.inventory.HostConnections;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.SshSession;
import dev.ballast.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/**
 * {@code POST /api/hosts/{name}/probe}: runs one step's probe or one check on one host, now, and changes
 * nothing. Parameters are validated against the catalog before any connection is opened.
 */
@Path("/api/hosts/{name}/probe")
public class ProbeResource {

    private final Catalog catalog;
    private final HostConnections connections;

    ProbeResource(Catalog catalog, HostConnections connections) {
        this.catalog = catalog;
        this.connections = connections;
    }

    /** Either {@code step} or {@code check}, with its parameters. */
    public record ProbeRequest(String step, String check, Map<String, String> params) {
    }

    public record StepProbe(String host, String step, boolean compliant, Map<String, String> state, List<Drift> drift) {
    }

    public record CheckProbe(String host, String check, CheckResult result) {
    }

    @RolesAllowed(Role.OPERATOR_NAME)
    @POST
    public Object probe(@PathParam("name") String name, ProbeRequest request) throws RemoteFailure, StepRefusal {
        HostName host = HostName.parse("name", name);
        if (request == null || (request.step() == null) == (request.check() == null)) {
            throw InvalidInputException.of("step", "give exactly one of 'step' or 'check'");
        }
        if (request.step() != null) {
            TuningStep.Configured<?> step = catalog.step("", request.step(), request.params());
            try (SshSession shell = connections.open(host)) {
                StepState state = step.probe(shell);
                List<Drift> drift = step.drift(state);
                return new StepProbe(host.value(), request.step(), drift.isEmpty(), state.redacted().facts(), drift);
            }
        }
        PreflightCheck.Configured<?> check = catalog.check("", request.check(), request.params());
        try (SshSession shell = connections.open(host)) {
            return new CheckProbe(host.value(), request.check(), check.run(shell));
        }
    }
}
