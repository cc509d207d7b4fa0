package dev.ballast.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * Passes when the QEMU guest agent of each addressed domain answers a guest-ping: without it, libvirt
 * cannot freeze guest file systems for a consistent snapshot before storage work. {@code all} means
 * the running domains, since a shut-off domain has no agent to ask.
 */
final class GuestAgentCheck extends PreflightCheck<DomainRef> {

    private static final String PING = "{\"execute\":\"guest-ping\"}";
    private static final String PONG = "{\"return\":{}}";

    @Override
    public String id() {
        return "guest-agent";
    }

    @Override
    public String description() {
        return "The QEMU guest agent of a domain (or of every running domain) answers guest-ping within 5 seconds";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(DomainXmlStep.domainParameter());
    }

    @Override
    protected DomainRef parse(Parameters params) {
        return params.required("domain", DomainRef::new);
    }

    @Override
    public CheckResult run(RemoteShell shell, DomainRef domain) throws RemoteFailure {
        List<DomainRef.Uuid> uuids = Domains.resolve(shell, domain, true);
        if (uuids.isEmpty()) {
            return domain.all() ? CheckResult.notApplicable("no domain is running")
                    : CheckResult.failed("no domain named " + domain.text(), PONG, "the host defines no domain named "
                            + domain.text());
        }
        Map<String, String> answers = new LinkedHashMap<>();
        List<String> silent = new ArrayList<>();
        for (DomainRef.Uuid uuid : uuids) {
            CommandResult result = shell.run(Command.of("virsh", "qemu-agent-command").arg(uuid)
                    .literal(PING, "--timeout", "5"));
            boolean answered = result.succeeded() && result.stdout().strip().equals(PONG);
            String answer = answered ? PONG : (result.stderr().strip() + " " + result.stdout().strip()).strip();
            answers.put(uuid.value(), answer);
            if (!answered) {
                silent.add(uuid.value() + ": " + answer);
            }
        }
        String observed = String.join("\n", answers.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList());
        String expected = String.join("\n", answers.keySet().stream().map(uuid -> uuid + ": " + PONG).toList());
        CheckResult result = silent.isEmpty() ? CheckResult.passed(observed, expected)
                : CheckResult.failed(observed, expected, "the guest agent did not answer on " + silent.size() + " of "
                        + uuids.size() + " domains: " + String.join("; ", silent));
        return result.withFigures(answers);
    }
}
