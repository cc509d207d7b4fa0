package dev.ballast.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * The contract between the two labs: what each command the catalog sends answers on a lab host of a given
 * index, as committed transcripts (argv and stdin; exit code, stdout and stderr). They are recorded from
 * the in-process lab by running every step's whole life (probe, apply, verify, rollback) and every check on
 * a fresh host, each followed by the diagnosis a failure would read (the domains' QEMU logs), and replayed, command by command, against the real-sshd lab's stubs: any byte that differs
 * is a place where one lab would let the catalog pass and the other would not. A transcript that no longer
 * matches what the catalog sends is re-recorded with {@code -Dlab.contract.record=true}.
 */
public final class LabContract {

    /** The hosts the transcripts are for: the real-sshd lab's hv-001 ... hv-005 have the same layouts. */
    public static final List<Integer> HOSTS = List.of(1, 2, 3, 4, 5);
    static final Path FILE = Path.of("src/test/resources/lab-contract.json");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One command and what it answered; stdin is null for a command that reads none. */
    public record Exchange(List<String> argv, String stdin, int exit, String stdout, String stderr) {
    }

    private LabContract() {
    }

    /** The committed transcripts, by host index. */
    public static Map<Integer, List<Exchange>> committed() {
        try {
            return JSON.readValue(FILE.toFile(), new TypeReference<>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("no lab contract in " + FILE + ": record it with -Dlab.contract.record=true", e);
        }
    }

    static void commit(Map<Integer, List<Exchange>> transcripts) throws IOException {
        Files.writeString(FILE, JSON.writeValueAsString(transcripts) + "\n");
    }

    /** Runs every step's life and every check on a fresh lab host of this index, and answers what was said. */
    static List<Exchange> record(RemoteShell shell, int index) {
        List<Exchange> said = new ArrayList<>();
        RemoteShell recording = command -> {
            CommandResult result = shell.run(command);
            said.add(new Exchange(command.argv(), command.hasStdin() ? new String(command.stdin(), StandardCharsets.UTF_8) : null,
                    result.exitCode(), result.stdout(), result.stderr()));
            return result;
        };
        for (TuningStep.Configured<?> step : steps(index)) {
            life(recording, step);
            try {
                step.diagnose(recording);
            } catch (RemoteFailure | RuntimeException e) {
                // As below: the answers are the contract.
            }
        }
        brokenAbstraction(recording, index);
        pinningRefusals(recording, index);
        for (PreflightCheck.Configured<?> check : checks()) {
            try {
                check.run(recording);
                check.diagnose(recording);
            } catch (RemoteFailure | RuntimeException e) {
                // What the check made of the answers is its own tests' business; the answers are recorded.
            }
        }
        return said;
    }

    /** Replays a transcript command by command; answers a line per exchange whose answer differs, empty when none does. */
    public static List<String> replay(RemoteShell shell, List<Exchange> transcript) throws RemoteFailure {
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < transcript.size(); i++) {
            Exchange expected = transcript.get(i);
            Command command = Command.of(expected.argv().get(0), expected.argv().subList(1, expected.argv().size()).toArray(String[]::new));
            CommandResult result = shell.run(expected.stdin() == null ? command : command.stdin(expected.stdin()));
            Exchange actual = new Exchange(expected.argv(), expected.stdin(), result.exitCode(), result.stdout(), result.stderr());
            if (!actual.equals(expected)) {
                differences.add("#" + i + " " + String.join(" ", expected.argv()) + ": " + firstDifference(expected, actual));
            }
        }
        return differences;
    }

    private static String firstDifference(Exchange expected, Exchange actual) {
        if (expected.exit() != actual.exit()) {
            return "exit " + actual.exit() + ", the contract says " + expected.exit() + " (stderr: " + actual.stderr().strip() + ")";
        }
        boolean out = !expected.stdout().equals(actual.stdout());
        List<String> want = (out ? expected.stdout() : expected.stderr()).lines().toList();
        List<String> got = (out ? actual.stdout() : actual.stderr()).lines().toList();
        int line = 0;
        while (line < want.size() && line < got.size() && want.get(line).equals(got.get(line))) {
            line++;
        }
        return (out ? "stdout" : "stderr") + " line " + (line + 1) + ": '" + (line < got.size() ? got.get(line) : "<end>")
                + "', the contract says '" + (line < want.size() ? want.get(line) : "<end>") + "'";
    }

    /** probe, apply, verify, probe, rollback, probe; a refusal or failure ends the life where it happens. */
    private static void life(RemoteShell shell, TuningStep.Configured<?> step) {
        try {
            StepState before = step.probe(shell);
            step.apply(shell, before);
            step.verify(shell);
            step.pendingRestart(shell, step.probe(shell));
            step.rollback(shell, RestorePoint.of(before));
            step.probe(shell);
        } catch (RemoteFailure | StepRefusal | RuntimeException e) {
            // Recorded up to here: a refusal's commands are as much the contract as an apply's.
        }
    }

    /**
     * apparmor_parser's answer to a local abstraction with a syntax error (a rule without its comma), on hosts that
     * have the file; then the file as it was. No step writes a broken file, but both labs must reject one alike.
     */
    private static void brokenAbstraction(RemoteShell shell, int index) {
        try {
            String shipped = HostFiles.read(shell, AppArmor.LOCAL);
            if (shipped != null) {
                String uuid = shell.check(Command.of("virsh", "domuuid", "vm-" + index + "-1")).stdout().strip();
                HostFiles.write(shell, AppArmor.LOCAL, shipped + "/dev/vg_os/* rw\n");
                shell.run(Command.of("apparmor_parser", "-r", "/etc/apparmor.d/libvirt/libvirt-" + uuid));
                HostFiles.write(shell, AppArmor.LOCAL, shipped);
            }
        } catch (RemoteFailure e) {
            // Recorded up to here, as a step's life.
        }
    }

    /**
     * virsh's own refusals of a CPU list, which no step provokes (the catalog refuses such a cpuset before it
     * changes anything): CPU 15 is offline on host 3, present on hosts 1 and 5 and past the 8 CPUs of even hosts;
     * I/O threads that do not exist or already do.
     */
    private static void pinningRefusals(RemoteShell shell, int index) {
        try {
            DomainRef.Uuid running = Domains.resolve(shell, new DomainRef("vm-" + index + "-1"), false).get(0);
            DomainRef.Uuid shutOff = Domains.resolve(shell, new DomainRef("vm-" + index + "-2"), false).get(0);
            for (String cpus : List.of("64", "3-1", "15")) {
                shell.run(Command.of("virsh", "emulatorpin").arg(running).arg(() -> cpus).literal("--live"));
            }
            shell.run(Command.of("virsh", "emulatorpin").arg(shutOff).arg(() -> "2").literal("--live"));
            List<List<String>> iothreads = List.of(List.of("iothreadpin", "9", "2"), List.of("iothreadadd", "1"), List.of("iothreadadd", "1"),
                    List.of("iothreadpin", "1", "64"), List.of("iothreadpin", "1", "15"), List.of("iothreadinfo"), List.of("iothreaddel", "7"),
                    List.of("iothreaddel", "1"), List.of("iothreadinfo"));
            for (List<String> args : iothreads) {
                Command command = Command.of("virsh", args.get(0)).arg(running);
                for (String arg : args.subList(1, args.size())) {
                    command = command.arg(() -> arg);
                }
                shell.run(args.size() > 1 ? command.literal("--live") : command);
            }
            shell.run(Command.of("virsh", "iothreadadd").arg(shutOff).literal("1", "--live"));
        } catch (RemoteFailure e) {
            // Recorded up to here.
        }
    }

    private static List<TuningStep.Configured<?>> steps(int index) {
        String vm1 = "vm-" + index + "-1";
        String vm2 = "vm-" + index + "-2";
        return List.of(
                new IoSchedulerStep().configure("step", Map.of("device", "nvme0n1", "scheduler", "none")),
                new IoSchedulerStep().configure("step", Map.of("device", "sda", "scheduler", "kyber")),
                new IoSchedulerStep().configure("step", Map.of("device", "dm-0")),
                new BlockQueueStep().configure("step", Map.of("device", "nvme0n1", "nrRequests", "512", "readAheadKb", "256")),
                new BlockQueueStep().configure("step", Map.of("device", "nvme1n1", "nrRequests", "2048")),
                new BlockQueueStep().configure("step", Map.of("device", "dm-0", "readAheadKb", "4096")),
                new HugepagesStep().configure("step", Map.of("count", "1024")),
                new HugepagesStep().configure("step", Map.of("count", "4", "size", "1G")),
                new DiskCacheStep().configure("step", Map.of("domain", vm1)),
                new VirtioScsiStep().configure("step", Map.of("domain", vm1, "acceptUnknownGuests", "true")),
                new VirtioScsiStep().configure("step", Map.of("domain", vm2)),
                new DomainHugepagesStep().configure("step", Map.of("domain", vm2)),
                new LvmThinPoolStep().configure("step", Map.of("device", "nvme1n1", "vg", "vg_lab", "pool", "tp_lab", "size", "500G")),
                new RawDiskPermissionsStep().configure("step", Map.of("vg", "vg_storage")),
                new RawDiskPermissionsStep().configure("step", Map.of("vg", "vg_data")),
                new SelinuxContextStep().configure("step", Map.of("vg", "vg_storage")),
                // vg_os: the one group of host 4, the contract's AppArmor host; a plan would name a group of VM disks.
                new AppArmorRawDiskStep().configure("step", Map.of("vg", "vg_os")),
                new QemuDiskAccessStep().configure("step", Map.of("vg", "vg_storage")),
                // cpuset 2 overlaps vm-N-1's vCPU pins on even hosts; CPU 15 is offline on host 3 and absent on even hosts.
                // Few lives, each a few dozen commands: RealSshdLabTest replays every one through sshd.
                new EmulatorPinningStep().configure("step", Map.of("domain", vm1, "cpuset", "2")),
                new EmulatorPinningStep().configure("step", Map.of("domain", vm2, "cpuset", "15")),
                new IothreadPinningStep().configure("step", Map.of("domain", vm1, "cpuset", "4-5,7", "iothread", "2")));
    }

    private static List<PreflightCheck.Configured<?>> checks() {
        return List.of(
                new KernelCheck().configure("check", Map.of("min", "5.15")),
                new IommuCheck().configure("check", Map.of()),
                new LibvirtVersionCheck().configure("check", Map.of("min", "8.0.0")),
                new NvmeTemperatureCheck().configure("check", Map.of("controller", "nvme0", "limit", "75")),
                new NvmeTemperatureCheck().configure("check", Map.of("controller", "nvme1", "limit", "75")),
                new PcieLinkCheck().configure("check", Map.of("controller", "nvme0", "width", "4")),
                new PcieLinkCheck().configure("check", Map.of("controller", "nvme1")),
                new FioBaselineCheck().configure("check", Map.of("device", "nvme0n1", "runtime", "5")),
                new GuestAgentCheck().configure("check", Map.of("domain", "all")),
                new GuestAgentCheck().configure("check", Map.of("domain", "all", "minVersion", "7.0")),
                new KernelIoErrorsCheck().configure("check", Map.of()));
    }
}
