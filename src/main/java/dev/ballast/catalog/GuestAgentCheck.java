package dev.ballast.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * Passes when the QEMU guest agent of each addressed domain answers a guest-ping: without it, libvirt
 * cannot freeze guest file systems for a consistent snapshot before storage work. {@code all} means
 * the running domains, since a shut-off domain has no agent to ask. With {@code minVersion} each agent's
 * {@code guest-info} version must be at least that: the manual's trap is an agent older than the host's
 * libvirt expects, which answers a ping yet fails to quiesce file systems during a snapshot, so the
 * libvirt daemon's version is reported next to every agent's. {@code all} also fails on a domain that should be
 * running and is not (crashed, or its start failed), whose QEMU log {@link #diagnose} then reads.
 */
final class GuestAgentCheck extends PreflightCheck<GuestAgentCheck.Params> {

    private static final String PING = "{\"execute\":\"guest-ping\"}";
    private static final String PONG = "{\"return\":{}}";
    private static final String INFO = "{\"execute\":\"guest-info\"}";

    /** {@code minVersion} is null when the plan asks only that the agents answer. */
    record Params(DomainRef domain, Version minVersion) {
    }

    @Override
    public String id() {
        return "guest-agent";
    }

    @Override
    public String description() {
        return "The QEMU guest agent of a domain (or of every running domain) answers guest-ping within 5 seconds, and with "
                + "minVersion reports at least that version in guest-info (the libvirt daemon's version shown alongside)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(DomainXmlStep.domainParameter(), ParameterSpec.optional("minVersion", "version",
                "lowest acceptable qemu-guest-agent version, as guest-info reports it; unset checks only that agents answer",
                null, Version.PATTERN));
    }

    @Override
    protected Params parse(Parameters params) {
        return new Params(params.required("domain", DomainRef::new),
                params.optional("minVersion", null, text -> text == null ? null : Version.parse(text)));
    }

    @Override
    public CheckResult run(RemoteShell shell, Params p) throws RemoteFailure {
        DomainRef domain = p.domain();
        List<DomainRef.Uuid> uuids = Domains.resolve(shell, domain, true);
        Map<String, String> stopped = domain.all() ? troubled(shell, uuids) : Map.of();
        if (uuids.isEmpty() && stopped.isEmpty()) {
            return domain.all() ? CheckResult.notApplicable("no domain is running")
                    : CheckResult.failed("no domain named " + domain.text(), PONG, "the host defines no domain named "
                            + domain.text());
        }
        Map<String, String> answers = new LinkedHashMap<>();
        List<String> silent = new ArrayList<>();
        for (DomainRef.Uuid uuid : uuids) {
            CommandResult result = agent(shell, uuid, PING);
            boolean answered = result.succeeded() && result.stdout().strip().equals(PONG);
            String answer = answered ? PONG : (result.stderr().strip() + " " + result.stdout().strip()).strip();
            answers.put(uuid.value(), answer);
            if (!answered) {
                silent.add(uuid.value() + ": " + answer);
            }
        }
        stopped.forEach((uuid, state) -> {
            answers.put(uuid, state);
            silent.add(uuid + ": should be running, but is " + state);
        });
        String observed = String.join("\n", answers.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList());
        String expected = String.join("\n", answers.keySet().stream().map(uuid -> uuid + ": " + PONG).toList());
        if (!silent.isEmpty()) {
            return CheckResult.failed(observed, expected, "the guest agent did not answer on " + silent.size() + " of "
                    + answers.size() + " domains: " + String.join("; ", silent)).withFigures(answers);
        }
        return p.minVersion() == null ? CheckResult.passed(observed, expected).withFigures(answers)
                : versions(shell, answers, p.minVersion());
    }

    /**
     * The defined domains that are not running although they should be: crashed, or shut off because their start
     * failed or QEMU died. A guest someone shut down is no concern of this check.
     */
    private static Map<String, String> troubled(RemoteShell shell, List<DomainRef.Uuid> running) throws RemoteFailure {
        Map<String, String> troubled = new LinkedHashMap<>();
        for (DomainRef.Uuid uuid : Domains.resolve(shell, new DomainRef(DomainRef.ALL), false)) {
            if (!running.contains(uuid)) {
                Domains.State state = Domains.state(shell, uuid);
                if (state.troubled()) {
                    troubled.put(uuid.value(), state.toString());
                }
            }
        }
        return troubled;
    }

    /** The QEMU logs of the addressed domains that crashed or failed to start. */
    @Override
    public List<DomainLog> diagnose(RemoteShell shell, Params p) throws RemoteFailure {
        return DomainLog.of(shell, Domains.resolve(shell, p.domain(), false), true);
    }

    /** Every agent's guest-info version against the minimum; the agents all answered a ping. */
    private static CheckResult versions(RemoteShell shell, Map<String, String> answers, Version min) throws RemoteFailure {
        Version libvirt = LibvirtVersionCheck.daemon(shell);
        Map<String, String> figures = new LinkedHashMap<>();
        List<String> old = new ArrayList<>();
        for (String uuid : answers.keySet()) {
            String version = agentVersion(shell, new DomainRef.Uuid(uuid));
            figures.put(uuid, version);
            if (version.startsWith("no version") || Version.parse(version).compareTo(min) < 0) {
                old.add(uuid + ": " + version);
            }
        }
        figures.put("libvirt", libvirt.toString());
        String observed = String.join("\n", figures.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList());
        String expected = "every agent >= " + min;
        return (old.isEmpty() ? CheckResult.passed(observed, expected) : CheckResult.failed(observed, expected, "the guest agent of "
                + old.size() + " of " + answers.size() + " domains is older than " + min + " (libvirt daemon " + libvirt
                + "): an agent that does not match the host's libvirt may fail to freeze file systems for a snapshot: "
                + String.join("; ", old))).withFigures(figures);
    }

    /** The version guest-info reports, or "no version: <why>" when the agent gives none Ballast can read. */
    private static String agentVersion(RemoteShell shell, DomainRef.Uuid uuid) throws RemoteFailure {
        CommandResult result = agent(shell, uuid, INFO);
        if (!result.succeeded()) {
            return "no version: guest-info failed" + ToolOutput.stderrSuffix(result);
        }
        try {
            JsonNode version = ToolOutput.json("guest-info", result, "a version").path("return").path("version");
            String text = version.asText("");
            return version.isTextual() && text.matches(Version.PATTERN) ? text
                    : "no version: guest-info answered version '" + ToolOutput.shown(text) + "'";
        } catch (CheckFailed unreadable) {
            return "no version: " + unreadable.getMessage();
        }
    }

    private static CommandResult agent(RemoteShell shell, DomainRef.Uuid uuid, String command) throws RemoteFailure {
        return shell.run(Command.of("virsh", "qemu-agent-command").arg(uuid).literal(command, "--timeout", "5"));
    }
}
