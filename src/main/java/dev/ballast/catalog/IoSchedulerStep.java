package dev.ballast.catalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import dev.ballast.remote.RemoteArg;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * Sets a block device's I/O scheduler through sysfs and keeps it across reboots with a udev rule of
 * Ballast's own that matches the disk by WWID ({@link UdevRules}).
 * NVMe disks usually run {@code none} already; then the step only adds the rule.
 */
final class IoSchedulerStep extends TuningStep<IoSchedulerStep.Params> {

    enum Scheduler implements RemoteArg {
        NONE("none"), MQ_DEADLINE("mq-deadline"), KYBER("kyber"), BFQ("bfq");

        final String token;

        Scheduler(String token) {
            this.token = token;
        }

        static Scheduler parse(String text) {
            return Arrays.stream(values()).filter(s -> s.token.equals(text)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("'" + Values.printable(String.valueOf(text))
                            + "' is not a scheduler: one of none, mq-deadline, kyber, bfq"));
        }

        @Override
        public String arg() {
            return token;
        }
    }

    record Params(BlockDevice device, Scheduler scheduler) {
        RemotePath rule() {
            return UdevRules.path("scheduler", device);
        }
    }

    @Override
    public String id() {
        return "io-scheduler";
    }

    @Override
    public String description() {
        return "Set a block device's I/O scheduler (none for NVMe) and keep it with a udev rule";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(BlockDevice.WHOLE_DISK,
                ParameterSpec.choice("scheduler", "the scheduler to use", "none",
                        Arrays.stream(Scheduler.values()).map(s -> s.token).toList()));
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
        return new Params(params.required("device", BlockDevice::new), params.optional("scheduler", "none", Scheduler::parse));
    }

    /** Facts: the active scheduler, the ones the kernel offers, the disk's WWID and Ballast's rule file. */
    @Override
    public StepState probe(RemoteShell shell, Params p) throws RemoteFailure, StepRefusal {
        RemotePath schedulerFile = p.device().sysfs("queue/scheduler");
        List<RemotePath> paths = new ArrayList<>(List.of(schedulerFile));
        paths.addAll(UdevRules.wwidFiles(p.device()));
        paths.add(p.rule());
        Map<RemotePath, String> files = HostFiles.readAll(shell, paths);
        String line = files.get(schedulerFile);
        if (line == null) {
            throw new StepRefusal(StepRefusal.Kind.NOT_APPLICABLE, "the host has no block device " + p.device().name());
        }
        List<String> offered = new ArrayList<>();
        String active = null;
        for (String token : line.strip().split("\\s+")) {
            if (token.startsWith("[") && token.endsWith("]")) {
                active = token.substring(1, token.length() - 1);
                offered.add(active);
            } else {
                offered.add(token);
            }
        }
        if (active == null) {
            throw new StepRefusal(StepRefusal.Kind.NOT_APPLICABLE, p.device().name() + " has no I/O scheduler of its own (its "
                    + "queue/scheduler reads '" + line.strip() + "' without brackets): a stacked device (device-mapper, md RAID "
                    + "or an NVMe multipath head) whose kernel ignores scheduler writes; tune the devices beneath it instead");
        }
        return StepState.builder()
                .put("scheduler", active)
                .put("available", String.join(" ", offered))
                .put("wwid", UdevRules.wwid(files, p.device()))
                .put("rule", files.get(p.rule()))
                .build();
    }

    @Override
    public List<Drift> drift(StepState current, Params p) {
        List<Drift> drift = new ArrayList<>();
        if (!p.scheduler().token.equals(current.get("scheduler"))) {
            drift.add(new Drift("scheduler", p.scheduler().token, current.get("scheduler")));
        }
        String rule = rule(current, p);
        if (!Objects.equals(rule, current.facts().get("rule"))) {
            drift.add(new Drift("rule", rule, current.get("rule")));
        }
        return drift;
    }

    private static String rule(StepState current, Params p) {
        return UdevRules.text("io-scheduler", p.device(), current, Map.of("queue/scheduler", p.scheduler().token));
    }

    @Override
    public void apply(RemoteShell shell, Params p, StepState before) throws RemoteFailure, StepRefusal {
        if (!Arrays.asList(before.get("available").split(" ")).contains(p.scheduler().token)) {
            throw new StepRefusal(StepRefusal.Kind.NOT_APPLICABLE, p.device().name() + " offers only "
                    + before.get("available") + ", not " + p.scheduler().token);
        }
        setScheduler(shell, p.device(), p.scheduler().token);
        HostFiles.write(shell, p.rule(), rule(before, p));
        UdevRules.reload(shell);
    }

    @Override
    public Verification verify(RemoteShell shell, Params p) throws RemoteFailure, StepRefusal {
        StepState now = probe(shell, p);
        List<Drift> drift = drift(now, p);
        boolean applied = drift.stream().noneMatch(d -> d.fact().equals("rule"));
        boolean inEffect = drift.stream().noneMatch(d -> d.fact().equals("scheduler"));
        return new Verification(now, applied, inEffect, drift, inEffect ? "active now"
                : "the device runs " + now.get("scheduler") + ", not " + p.scheduler().token);
    }

    /** Restores the captured scheduler, whichever the device offered then (an old kernel's cfq too). */
    @Override
    public void rollback(RemoteShell shell, Params p, StepState captured) throws RemoteFailure, StepRefusal {
        String token = captured.get("scheduler");
        if (!CAPTURED_SCHEDULER.matcher(token).matches() || !Arrays.asList(captured.get("available").split(" ")).contains(token)) {
            throw new StepRefusal(StepRefusal.Kind.UNSAFE, "the captured scheduler '" + Values.printable(token)
                    + "' is not one the device offered (" + Values.printable(captured.get("available")) + ")");
        }
        setScheduler(shell, p.device(), token);
        HostFiles.restore(shell, p.rule(), captured.absent("rule") ? null : captured.get("rule"));
        UdevRules.reload(shell);
    }

    /** A scheduler's name as the kernel prints it: checked against this before it reaches a command. */
    private static final Pattern CAPTURED_SCHEDULER = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    private static void setScheduler(RemoteShell shell, BlockDevice device, String token) throws RemoteFailure {
        HostFiles.write(shell, device.sysfs("queue/scheduler"), token + "\n");
    }
}
