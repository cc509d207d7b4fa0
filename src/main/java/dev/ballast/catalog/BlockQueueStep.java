package dev.ballast.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * Sets a block device's request queue depth ({@code queue/nr_requests}, the manual's 32 to 256) and read-ahead
 * ({@code queue/read_ahead_kb}) through sysfs, kept across reboots by a udev rule like the scheduler's
 * ({@link UdevRules}). The kernel is the judge of a depth: above what the queue allows (with scheduler none the
 * hardware queue depth, else the scheduler's limit) it answers EINVAL, and the step refuses before anything changed.
 */
final class BlockQueueStep extends TuningStep<BlockQueueStep.Params> {

    /** A value as sysfs prints it: checked against this before a captured one is written back. */
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,9}");

    /** Either value may be left alone (null), not both. */
    record Params(BlockDevice device, Count nrRequests, Count readAheadKb) {
        /**
         * Named to sort after the scheduler's rule: switching the scheduler resets nr_requests, so at boot udev must
         * set the queue after it.
         */
        RemotePath rule() {
            return UdevRules.path("tuning-queue", device);
        }

        Map<String, String> wanted() {
            Map<String, String> wanted = new LinkedHashMap<>();
            if (nrRequests != null) {
                wanted.put("queue/nr_requests", nrRequests.arg());
            }
            if (readAheadKb != null) {
                wanted.put("queue/read_ahead_kb", readAheadKb.arg());
            }
            return wanted;
        }
    }

    @Override
    public String id() {
        return "block-queue";
    }

    @Override
    public String description() {
        return "Set a block device's request queue depth (nr_requests) and read-ahead (read_ahead_kb), kept with a udev rule";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(BlockDevice.WHOLE_DISK,
                ParameterSpec.optional("nrRequests", "integer", "queue depth, 4 to 65536 (the device may allow less)", null,
                        "[0-9]{1,5}"),
                ParameterSpec.optional("readAheadKb", "integer", "read-ahead in KiB, 0 to 65536", null, "[0-9]{1,5}"));
    }

    @Override
    public Effect effect() {
        return Effect.IMMEDIATE;
    }

    @Override
    public boolean survivesReboot() {
        return true;
    }

    @Override
    protected Params parse(Parameters params) {
        BlockDevice device = params.required("device", BlockDevice::new);
        Count depth = params.optional("nrRequests", null, text -> text == null ? null : Count.parse(text, 4, 65536));
        Count readAhead = params.optional("readAheadKb", null, text -> text == null ? null : Count.parse(text, 0, 65536));
        if (depth == null && readAhead == null) {
            params.reject("nrRequests", "give nrRequests, readAheadKb or both");
        }
        return new Params(device, depth, readAhead);
    }

    /** Facts: both queue values, the scheduler (it sets the depth's limit), the disk's WWID and Ballast's rule file. */
    @Override
    public StepState probe(RemoteShell shell, Params p) throws RemoteFailure, StepRefusal {
        List<RemotePath> paths = new ArrayList<>(List.of(p.device().sysfs("queue/nr_requests"),
                p.device().sysfs("queue/read_ahead_kb"), p.device().sysfs("queue/scheduler")));
        paths.addAll(UdevRules.wwidFiles(p.device()));
        paths.add(p.rule());
        Map<RemotePath, String> files = HostFiles.readAll(shell, paths);
        String depth = files.get(paths.get(0));
        String readAhead = files.get(paths.get(1));
        if (depth == null || readAhead == null) {
            throw new StepRefusal(StepRefusal.Kind.NOT_APPLICABLE, "the host has no block device " + p.device().name()
                    + " with a request queue of its own (a stacked device's queue is its disks')");
        }
        String scheduler = files.get(paths.get(2));
        return StepState.builder()
                .put("nr_requests", depth.strip())
                .put("read_ahead_kb", readAhead.strip())
                .put("scheduler", scheduler == null ? null : scheduler.strip())
                .put("wwid", UdevRules.wwid(files, p.device()))
                .put("rule", files.get(p.rule()))
                .build();
    }

    @Override
    public List<Drift> drift(StepState current, Params p) {
        List<Drift> drift = new ArrayList<>();
        p.wanted().forEach((attribute, value) -> {
            String fact = attribute.substring("queue/".length());
            if (!value.equals(current.get(fact))) {
                drift.add(new Drift(fact, value, current.get(fact)));
            }
        });
        String rule = UdevRules.text(id(), p.device(), current, p.wanted());
        if (!Objects.equals(rule, current.facts().get("rule"))) {
            drift.add(new Drift("rule", rule, current.get("rule")));
        }
        return drift;
    }

    /** Writes the depth first: it is the value a device refuses, and then nothing has changed yet. */
    @Override
    public void apply(RemoteShell shell, Params p, StepState before) throws RemoteFailure, StepRefusal {
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, String> value : p.wanted().entrySet()) {
            CommandResult result = HostFiles.offer(shell, p.device().sysfs(value.getKey()), value.getValue() + "\n");
            if (!result.succeeded()) {
                for (String attribute : written) {
                    HostFiles.write(shell, p.device().sysfs(attribute), before.get(attribute.substring("queue/".length())) + "\n");
                }
                throw refusal(p, value.getKey(), value.getValue(), result, before);
            }
            written.add(value.getKey());
        }
        HostFiles.write(shell, p.rule(), UdevRules.text(id(), p.device(), before, p.wanted()));
        UdevRules.reload(shell);
    }

    private static StepRefusal refusal(Params p, String attribute, String value, CommandResult result, StepState before)
            throws RemoteFailure {
        if (!result.stderr().strip().endsWith("Invalid argument")) {
            throw RemoteFailure.commandFailed(result);
        }
        return new StepRefusal(StepRefusal.Kind.NOT_APPLICABLE, p.device().name() + " rejected " + attribute + " " + value
                + " (Invalid argument): the kernel allows no deeper queue there (scheduler " + before.get("scheduler")
                + "; with none the limit is the hardware queue depth, " + before.get("nr_requests") + " now); nothing was changed");
    }

    @Override
    public Verification verify(RemoteShell shell, Params p) throws RemoteFailure, StepRefusal {
        StepState now = probe(shell, p);
        List<Drift> drift = drift(now, p);
        boolean applied = drift.stream().noneMatch(d -> d.fact().equals("rule"));
        boolean inEffect = drift.stream().allMatch(d -> d.fact().equals("rule"));
        return new Verification(now, applied, inEffect, drift, inEffect ? "active now"
                : "the device runs " + String.join(", ", drift.stream().filter(d -> !d.fact().equals("rule"))
                        .map(d -> d.fact() + " " + d.actual()).toList()));
    }

    /**
     * Writes back live each captured value that differs now (a value never changed is not written: a stacked device
     * refuses any depth, even its own) and restores the rule file byte for byte.
     */
    @Override
    public void rollback(RemoteShell shell, Params p, StepState captured) throws RemoteFailure, StepRefusal {
        for (String fact : List.of("nr_requests", "read_ahead_kb")) {
            String value = captured.get(fact);
            if (!NUMBER.matcher(value).matches()) {
                throw new StepRefusal(StepRefusal.Kind.UNSAFE, "the captured " + fact + " '" + Values.printable(value)
                        + "' is not a number");
            }
        }
        StepState now = probe(shell, p);
        for (String fact : List.of("nr_requests", "read_ahead_kb")) {
            if (!captured.get(fact).equals(now.get(fact))) {
                HostFiles.write(shell, p.device().sysfs("queue/" + fact), captured.get(fact) + "\n");
            }
        }
        HostFiles.restore(shell, p.rule(), captured.absent("rule") ? null : captured.get("rule"));
        UdevRules.reload(shell);
    }
}
