package dev.ballast.lab;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The programs a lab host understands, each with exactly the arguments the catalog sends. Anything
 * else is a {@link LabSurprise}.
 */
final class LabPrograms {

    private LabPrograms() {
    }

    static Exec run(HostState host, List<String> argv, String stdin) {
        String program = argv.get(0);
        List<String> args = argv.subList(1, argv.size());
        return switch (program) {
            case "cat" -> cat(host, args);
            case "tail" -> tail(host, args);
            case "tee" -> tee(host, args, stdin);
            case "rm" -> rm(host, args);
            case "uname" -> expect(args, List.of("-r"), () -> Exec.ok(host.hardware.kernelRelease + "\n"));
            case "sysctl" -> sysctl(host, args);
            case "grep" -> grep(host, args);
            case "udevadm" -> expect(args, List.of("control", "--reload-rules"), () -> Exec.ok(""));
            case "virsh" -> LabPinning.handles(args) ? LabPinning.virsh(host.libvirt, host.cpus, args) : host.libvirt.virsh(args, stdin);
            case "env" -> HardwareTools.env(host.hardware, args);
            case "virt-host-validate" -> throw new LabSurprise("virt-host-validate without env LC_ALL=C prints in the host's locale");
            case "nvme" -> HardwareTools.nvme(host.hardware, args);
            case "sensors" -> HardwareTools.sensors(host.hardware, args);
            case "readlink" -> args.stream().anyMatch(a -> a.startsWith("/dev/")) ? LvmTools.run(host.lvm, program, args)
                    : HardwareTools.readlink(host.hardware, args);
            case "lspci" -> HardwareTools.lspci(host.hardware, args);
            case "fio" -> LabFio.run(host.hardware, host.disks, args);
            case "journalctl" -> host.kernelLog.journalctl(args);
            case "dmesg" -> host.kernelLog.dmesg(args);
            case "pvs", "vgs", "lvs", "wipefs", "pvcreate", "vgcreate", "lvcreate", "lvchange", "lvremove", "vgremove",
                    "pvremove", "stat", "chmod" -> LvmTools.run(host.lvm, program, args);
            case "getenforce", "semanage", "restorecon" -> host.selinux.run(program, args);
            case "aa-status", "apparmor_parser" -> host.apparmor.run(program, args);
            default -> throw new LabSurprise("no program " + program + " is simulated");
        };
    }

    private static Exec cat(HostState host, List<String> args) {
        String path = operand(args, "cat");
        String text = host.filesAt(path).read(path);
        return text == null ? Exec.fail(1, "cat: " + path + ": No such file or directory\n") : Exec.ok(text);
    }

    /**
     * {@code tail -v -n +1 -- PATH...} as GNU tail prints it: a header per file it opened, the others on stderr; and
     * {@code tail -c N -- PATH}, the last N bytes of one file, with no header.
     */
    private static Exec tail(HostState host, List<String> args) {
        if (args.size() == 4 && args.get(0).equals("-c") && args.get(1).matches("[1-9][0-9]{0,7}") && args.get(2).equals("--")
                && args.get(3).startsWith("/")) {
            String text = host.filesAt(args.get(3)).read(args.get(3));
            if (text == null) {
                return Exec.fail(1, "tail: cannot open '" + args.get(3) + "' for reading: No such file or directory\n");
            }
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            int from = Math.max(0, bytes.length - Integer.parseInt(args.get(1)));
            return Exec.ok(new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8));
        }
        if (args.size() < 5 || !args.subList(0, 4).equals(List.of("-v", "-n", "+1", "--"))
                || !args.stream().skip(4).allMatch(path -> path.startsWith("/"))) {
            throw new LabSurprise("tail " + args);
        }
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        for (String path : args.subList(4, args.size())) {
            String text = host.filesAt(path).read(path);
            if (text == null) {
                err.append("tail: cannot open '").append(path).append("' for reading: No such file or directory\n");
            } else {
                out.append(out.isEmpty() ? "" : "\n").append("==> ").append(path).append(" <==\n").append(text);
            }
        }
        return err.isEmpty() ? Exec.ok(out.toString()) : new Exec(1, out.toString(), err.toString());
    }

    private static Exec tee(HostState host, List<String> args, String stdin) {
        String path = operand(args, "tee");
        return host.filesAt(path).write(path, stdin);
    }

    private static Exec rm(HostState host, List<String> args) {
        if (args.size() != 3 || !args.get(0).equals("-f") || !args.get(1).equals("--")) {
            throw new LabSurprise("rm " + args);
        }
        return host.filesAt(args.get(2)).remove(args.get(2));
    }

    private static Exec sysctl(HostState host, List<String> args) {
        if (args.size() == 2 && args.get(0).equals("-w") && args.get(1).matches("vm\\.nr_hugepages=[0-9]{1,12}")) {
            host.hugepages.reserveDefault(Long.parseLong(args.get(1).substring("vm.nr_hugepages=".length())));
            return Exec.ok("vm.nr_hugepages = " + args.get(1).substring("vm.nr_hugepages=".length()) + "\n");
        }
        throw new LabSurprise("sysctl " + args);
    }

    /**
     * {@code grep -RsHE PATTERN -- PATH...} over /etc, as GNU grep answers: {@code PATH:LINE} for each match,
     * a directory searched file by file, and exit 2 when any path did not exist, even when lines matched.
     * The lab holds no distribution files, so paths outside /etc do not exist.
     */
    private static Exec grep(HostState host, List<String> args) {
        if (args.size() < 4 || !args.get(0).equals("-RsHE") || !args.get(2).equals("--")) {
            throw new LabSurprise("grep " + args);
        }
        Pattern pattern = Pattern.compile(args.get(1).replace("[[:space:]]", "\\s"));
        Map<String, String> etc = host.etc.all();
        StringBuilder out = new StringBuilder();
        boolean missing = false;
        for (String path : args.subList(3, args.size())) {
            Map<String, String> found = new TreeMap<>();
            etc.forEach((file, text) -> {
                if (file.equals(path) || file.startsWith(path + "/")) {
                    found.put(file, text);
                }
            });
            missing |= found.isEmpty() && !etc.containsKey(path);
            found.forEach((file, text) -> text.lines().filter(line -> pattern.matcher(line).find())
                    .forEach(line -> out.append(file).append(':').append(line).append('\n')));
        }
        return new Exec(missing ? 2 : out.isEmpty() ? 1 : 0, out.toString(), "");
    }

    /** {@code PROGRAM -- PATH}: the one shape file commands take. */
    private static String operand(List<String> args, String program) {
        if (args.size() != 2 || !args.get(0).equals("--") || !args.get(1).startsWith("/")) {
            throw new LabSurprise(program + " " + args);
        }
        return args.get(1);
    }

    static Exec expect(List<String> args, List<String> expected, Supplier<Exec> then) {
        if (!args.equals(expected)) {
            throw new LabSurprise("expected " + expected + ", got " + args);
        }
        return then.get();
    }
}
