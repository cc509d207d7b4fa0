package dev.ballast.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ballast.audit.AuditLog;
import dev.ballast.inventory.Inventory;
import dev.ballast.inventory.Selector;
import dev.ballast.jdbc.DatabaseException;
import dev.ballast.jdbc.Jdbc;
import dev.ballast.plan.Plan;
import dev.ballast.plan.Plans;
import dev.ballast.plan.StoredPlan;
import dev.ballast.problem.ConflictException;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.queue.TaskQueue;
import dev.ballast.queue.TaskState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Creating rollouts: the rollout, its waves and one task per host, in one transaction, so a rollout
 * exists whole or not at all; from then on the workers and the coordinator carry it, in any Ballast
 * process. Every kind of rollout (a plan's, a sweep's remediation, a host's rollback) is written here.
 */
@ApplicationScoped
public class RolloutCreation {

    /** PostgreSQL's SQLSTATE for a row that refers to one no longer there. */
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    /** A rollout of a plan over the drifted hosts a sweep run named, to wait for approval before it starts. */
    public record Held(String plan, int planVersion, String selector, List<String> hosts, String reason) {
    }

    /** What {@link #start} writes: a plan over hosts, in a mode, held for approval when a reason is given. */
    private record Start(StoredPlan stored, String selector, List<Inventory.HostRef> hosts, Mode mode, String actor,
            String heldBecause) {
    }

    private final Plans plans;
    private final Inventory inventory;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final Jdbc jdbc;
    private final RolloutTransitions rollouts;
    private final WaveTransitions waves;
    private final TaskQueue tasks;
    private final RolloutQueries queries;

    RolloutCreation(Plans plans, Inventory inventory, AuditLog audit, ObjectMapper json, Jdbc jdbc, RolloutTransitions rollouts,
            WaveTransitions waves, TaskQueue tasks, RolloutQueries queries) {
        this.plans = plans;
        this.inventory = inventory;
        this.audit = audit;
        this.json = json;
        this.jdbc = jdbc;
        this.rollouts = rollouts;
        this.waves = waves;
        this.tasks = tasks;
        this.queries = queries;
    }

    @Transactional
    public RolloutView create(String planName, Integer planVersion, String selectorText, String modeText, String actor) {
        return start(checked(planName, planVersion, selectorText, modeText, actor));
    }

    /** What such a rollout would be, its waves host by host; nothing is written. */
    public record DryRun(String plan, int planVersion, String selector, String mode, int hosts, List<List<String>> waves,
            Map<String, String> skipped) {
    }

    @Transactional
    public DryRun dryRun(String planName, Integer planVersion, String selectorText, String modeText, String actor) {
        Start start = checked(planName, planVersion, selectorText, modeText, actor);
        Planned planned = planned(start);
        Map<String, String> skipped = new java.util.LinkedHashMap<>();
        planned.skipped().forEach(host -> skipped.put(host.name(), host.skipReason()));
        return new DryRun(start.stored().name(), start.stored().version(), start.selector(), start.mode().name(),
                start.hosts().size(), planned.waves().stream().map(wave -> wave.stream().map(WavePlanner.Candidate::name).toList())
                        .toList(), skipped);
    }

    private Start checked(String planName, Integer planVersion, String selectorText, String modeText, String actor) {
        if (planName == null) {
            throw InvalidInputException.of("plan", "is required");
        }
        Mode mode = InvalidInputException.forField("mode", () -> Mode.parse(modeText));
        Selector selector = Selector.choosing("selector", selectorText);
        String chosen = selector.equals(Selector.ALL) ? Selector.EVERY_HOST : selector.toString();
        StoredPlan stored = planVersion == null ? plans.latest(planName) : plans.get(planName, planVersion);
        List<Inventory.HostRef> hosts = inventory.select(selector);
        if (hosts.isEmpty()) {
            throw InvalidInputException.of("selector", "'" + chosen + "' matches no host");
        }
        return new Start(stored, chosen, hosts, mode, actor, null);
    }

    /** A rollout over those of a selector's hosts that are named, waiting for approval before its first wave. */
    @Transactional
    public RolloutView createHeld(Held held, String actor) {
        Selector selector = Selector.parse("selector", held.selector());
        StoredPlan stored = plans.get(held.plan(), held.planVersion());
        Set<String> named = Set.copyOf(held.hosts());
        List<Inventory.HostRef> hosts = inventory.select(selector).stream().filter(h -> named.contains(h.name())).toList();
        if (hosts.isEmpty()) {
            throw InvalidInputException.of("hosts", "none of " + held.hosts() + " is chosen by '" + selector + "' any more");
        }
        return start(new Start(stored, selector + ", " + hosts.size() + " named hosts", hosts, Mode.APPLY, actor, held.reason()));
    }

    /**
     * The rollback of one host: a rollout of mode ROLLBACK with one task, running the source rollout's own
     * plan copy (the steps and parameters that captured the points). The caller holds the host's lock.
     * A forced rollback restores past the refusals an operator may overrule (see TuningStep.guardRollback).
     */
    long createRollback(long source, long hostId, String host, String actor, boolean forced) {
        record Source(String name, int version, String plan) {
        }
        Source plan = jdbc.one("select plan_name, plan_version, cast(plan as text) from rollout where id = ?",
                r -> new Source(r.getString(1), r.getInt(2), r.getString(3)), source).orElseThrow();
        long id = rollouts.insert(new RolloutTransitions.NewRollout(plan.name(), plan.version(), plan.plan(), "host " + host,
                Mode.ROLLBACK, RolloutState.RUNNING, "rolls back rollout " + source + " on " + host + (forced ? ", forced" : ""), actor, source, forced));
        waves.insert(id, List.of(1), WaveState.RUNNING);
        tasks.insert(id, List.of(new TaskQueue.NewTask(0, hostId, host, null, TaskState.QUEUED, null)));
        return id;
    }

    /** The hosts dealt into waves, and those skipped (in maintenance, quarantined) with why. */
    private record Planned(List<List<WavePlanner.Candidate>> waves, List<Inventory.HostRef> skipped) {
    }

    private static Planned planned(Start start) {
        List<WavePlanner.Candidate> eligible = new ArrayList<>();
        List<Inventory.HostRef> skipped = new ArrayList<>();
        for (Inventory.HostRef host : start.hosts()) {
            if (host.skipReason() == null) {
                eligible.add(new WavePlanner.Candidate(host.id(), host.name(), host.labels()));
            } else {
                skipped.add(host);
            }
        }
        List<List<WavePlanner.Candidate>> waves = WavePlanner.plan(eligible, start.stored().plan().waves());
        return new Planned(waves.isEmpty() ? List.of(List.of()) : waves, skipped);
    }

    private RolloutView start(Start start) {
        Plan plan = start.stored().plan();
        Planned dealt = planned(start);
        List<List<WavePlanner.Candidate>> planned = dealt.waves();
        List<Inventory.HostRef> skipped = dealt.skipped();
        boolean held = start.heldBecause() != null;
        long id = rollouts.insert(new RolloutTransitions.NewRollout(start.stored().name(), start.stored().version(),
                write(plan), start.selector(), start.mode(), held ? RolloutState.AWAITING_APPROVAL : RolloutState.RUNNING,
                start.heldBecause(), start.actor(), null, false));
        waves.insert(id, planned.stream().map(List::size).toList(), held ? WaveState.PENDING : WaveState.RUNNING);
        try {
            tasks.insert(id, newTasks(planned, skipped, start));
        } catch (DatabaseException e) {
            if (FOREIGN_KEY_VIOLATION.equals(e.sqlState())) {
                // The selector read a host that a delete committed meanwhile: the whole creation rolls back.
                throw new ConflictException("a host '" + start.selector() + "' chose was deleted while the rollout was being "
                        + "created; nothing was started: start it again to run on the hosts there are now");
            }
            throw e;
        }
        Map<String, Object> created = new java.util.LinkedHashMap<>(Map.of("plan", start.stored().name(), "planVersion",
                start.stored().version(), "selector", start.selector(), "mode", start.mode().name(), "hosts", start.hosts().size(),
                "waves", planned.size()));
        List<String> accepted = acceptedRisks(plan);
        if (!accepted.isEmpty()) {
            created.put("accepts", accepted);
        }
        audit.record("rollout.create", "rollout/" + id, null, created);
        return queries.get(id);
    }

    private static List<TaskQueue.NewTask> newTasks(List<List<WavePlanner.Candidate>> planned, List<Inventory.HostRef> skipped,
            Start start) {
        String spreadLabel = start.stored().plan().waves().spreadLabel();
        Map<Long, Map<String, String>> labels = new java.util.HashMap<>();
        start.hosts().forEach(h -> labels.put(h.id(), h.labels()));
        List<TaskQueue.NewTask> all = new ArrayList<>();
        for (int n = 0; n < planned.size(); n++) {
            for (WavePlanner.Candidate host : planned.get(n)) {
                all.add(new TaskQueue.NewTask(n, host.id(), host.name(), spread(labels.get(host.id()), spreadLabel), TaskState.QUEUED,
                        null));
            }
        }
        for (Inventory.HostRef host : skipped) {
            all.add(new TaskQueue.NewTask(0, host.id(), host.name(), spread(host.labels(), spreadLabel), TaskState.SKIPPED,
                    host.skipReason()));
        }
        return all;
    }

    /**
     * The risks the plan takes on knowingly (a step parameter {@code accept...: "true"}, such as virtio-scsi's
     * acceptUnknownGuests): the audit names them with the plan version and whoever started the rollout.
     */
    private static List<String> acceptedRisks(Plan plan) {
        return plan.steps().stream().flatMap(step -> step.params().entrySet().stream()
                .filter(param -> param.getKey().startsWith("accept") && "true".equals(param.getValue()))
                .map(param -> step.id() + ": " + param.getKey())).toList();
    }

    private static String spread(Map<String, String> labels, String spreadLabel) {
        return spreadLabel == null ? null : labels.getOrDefault(spreadLabel, "");
    }

    private String write(Plan plan) {
        try {
            return json.writeValueAsString(plan);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
