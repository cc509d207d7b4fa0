package dev.ballast.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteFailure;
import dev.ballast.remote.RemoteShell;

/**
 * What a boot reserves of huge pages of the default size. The kernel takes {@code hugepages=N} from its
 * command line; then systemd-sysctl, like {@code sysctl --system}, reads the *.conf files of
 * /etc/sysctl.d, /run/sysctl.d, /usr/local/lib/sysctl.d and /usr/lib/sysctl.d in the order of their
 * names (a name in an earlier directory hides the same name in a later one), then /etc/sysctl.conf, and
 * the last assignment of {@code vm.nr_hugepages} wins. So the value Ballast writes in its own file comes
 * back after a reboot only if no file read after it sets the key again: a hand-written 90-tuning.conf or
 * an old line in /etc/sysctl.conf would silently undo the step at the next boot, and guests backed by the
 * pages would then fail to start. Pages set with {@code sysctl -w} alone do not come back at all.
 */
final class HugepagesAtBoot {

    /** One assignment of the key, in the file that makes it. */
    record Setting(String file, long value) {
        String describe() {
            return file.equals(CMDLINE.toString()) ? "the kernel command line sets hugepages=" + value
                    : file + " sets vm.nr_hugepages = " + value;
        }
    }

    private static final List<String> DIRECTORIES = List.of("/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d",
            "/usr/lib/sysctl.d", "/lib/sysctl.d");
    private static final String SYSCTL_CONF = "/etc/sysctl.conf";
    static final RemotePath CMDLINE = RemotePath.of("/proc/cmdline");
    /** sysctl accepts the key with dots or slashes, after blanks, and a leading '-' that only silences errors. */
    private static final String KEY = "^[[:space:]]*-?vm[./]nr_hugepages[[:space:]]*=";

    private HugepagesAtBoot() {
    }

    /** Every assignment on the host, in the order a boot applies them: the last one is what the boot reserves. */
    static List<Setting> read(RemoteShell shell) throws RemoteFailure {
        return read(shell, HostFiles.require(shell, CMDLINE));
    }

    /**
     * The same, for a caller that read {@link #CMDLINE} with its own files already (one channel less per probe,
     * see {@link HostFiles}); null when the host had none, which is a failure.
     */
    static List<Setting> read(RemoteShell shell, String cmdline) throws RemoteFailure {
        if (cmdline == null) {
            throw new RemoteFailure(RemoteFailure.Kind.COMMAND_FAILED, CMDLINE + " does not exist", null);
        }
        List<Setting> settings = new ArrayList<>(fromFiles(shell));
        Long kernel = fromCommandLine(cmdline);
        if (kernel != null) {
            settings.add(new Setting(CMDLINE.toString(), kernel));
        }
        return inBootOrder(settings);
    }

    /** The assignment the boot ends with, which sets what it reserves; empty when nothing sets any (it reserves none). */
    static Optional<Setting> winner(List<Setting> settings) {
        return settings.isEmpty() ? Optional.empty() : Optional.of(settings.get(settings.size() - 1));
    }

    /**
     * {@code hugepages=N} counts pages of the size named by the {@code hugepagesz=} before it, or of the
     * default size when none comes before: only the callers' 2M default size is read here.
     */
    private static Long fromCommandLine(String cmdline) {
        Long pages = null;
        boolean defaultSize = true;
        for (String token : cmdline.strip().split("\\s+")) {
            if (token.startsWith("hugepagesz=")) {
                defaultSize = List.of("2M", "2m", "2048K", "2048k").contains(token.substring("hugepagesz=".length()));
            } else if (defaultSize && token.matches("hugepages=[0-9]{1,12}")) {
                pages = Long.parseLong(token.substring("hugepages=".length()));
            }
        }
        return pages;
    }

    private static List<Setting> fromFiles(RemoteShell shell) throws RemoteFailure {
        Command grep = Command.of("grep", "-RsHE", KEY, "--");
        for (String directory : DIRECTORIES) {
            grep = grep.literal(directory);
        }
        CommandResult result = shell.run(grep.literal(SYSCTL_CONF));
        // 1 is no match; 2 with nothing on stderr is a directory this distribution does not have (-s hides it).
        if (result.exitCode() > 2 || result.exitCode() == 2 && !result.stderr().isBlank()) {
            throw RemoteFailure.commandFailed(result, "could not read the sysctl configuration");
        }
        Map<String, Integer> shadowing = new HashMap<>();
        List<String[]> lines = new ArrayList<>();
        for (String line : result.stdout().lines().toList()) {
            int colon = line.indexOf(':');
            String file = colon < 0 ? "" : line.substring(0, colon);
            int directory = directoryOf(file);
            if (directory >= 0 || file.equals(SYSCTL_CONF)) {
                shadowing.merge(name(file), directory, Math::min);
                lines.add(new String[] {file, line.substring(colon + 1)});
            }
        }
        List<Setting> settings = new ArrayList<>();
        for (String[] line : lines) {
            String file = line[0];
            int directory = directoryOf(file);
            boolean hidden = directory >= 0 && shadowing.get(name(file)) < directory;
            String value = line[1].substring(line[1].indexOf('=') + 1).strip();
            if (!hidden && value.matches("[0-9]{1,12}")) {
                settings.add(new Setting(file, Long.parseLong(value)));
            }
        }
        return settings;
    }

    /** The settings a boot would apply once the file {@code own} sets {@code value}, in boot order. */
    static List<Setting> withOwn(List<Setting> settings, RemotePath own, long value) {
        List<Setting> changed = new ArrayList<>(settings.stream().filter(s -> !s.file().equals(own.toString())).toList());
        changed.add(new Setting(own.toString(), value));
        return inBootOrder(changed);
    }

    /** Stable: the lines of one file keep their order. The kernel comes first, /etc/sysctl.conf after every sysctl.d file. */
    private static List<Setting> inBootOrder(List<Setting> settings) {
        return settings.stream().sorted(Comparator.comparing((Setting s) -> s.file().equals(CMDLINE.toString()) ? 0
                : s.file().equals(SYSCTL_CONF) ? 2 : 1).thenComparing(s -> name(s.file()))).toList();
    }

    private static int directoryOf(String file) {
        int slash = file.lastIndexOf('/');
        return file.endsWith(".conf") && slash > 0 ? DIRECTORIES.indexOf(file.substring(0, slash)) : -1;
    }

    private static String name(String file) {
        return file.substring(file.lastIndexOf('/') + 1);
    }
}
