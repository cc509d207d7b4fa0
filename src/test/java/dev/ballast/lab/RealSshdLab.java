package dev.ballast.lab;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import org.junit.jupiter.api.Assumptions;

/**
 * The lab of real OpenSSH hosts made by {@code deploy/lab/lab}, for tests. It needs root (network and
 * mount namespaces), sshd and python3: without them a test is skipped on a developer's machine, but
 * fails under CI, which installs them, so the end-to-end test can never pass by not running.
 *
 * <p>The lab's hosts are machine-wide (namespaces, links, addresses), so one lab runs at a time: a test
 * run holds {@link #LOCK} for as long as its lab is up, and a second run on the same machine waits for
 * it. The lock dies with its JVM but the lab's sshd processes do not, so a lab found in {@link #DIR}
 * by the holder of the lock was left by a run that was killed, and is taken down before a new one.
 */
public final class RealSshdLab implements AutoCloseable {

    static final Path SCRIPT = Path.of("deploy/lab/lab").toAbsolutePath();
    /** Not the default of {@code deploy/lab/lab}: a lab a developer brought up by hand is not the tests'. */
    static final Path DIR = Path.of("/run/ballast-lab-test");
    static final Path LOCK = Path.of("/run/ballast-lab-test.lock");

    private static final Logger LOG = Logger.getLogger(RealSshdLab.class.getName());

    private final FileChannel lockChannel;

    private RealSshdLab(FileChannel lockChannel) {
        this.lockChannel = lockChannel;
    }

    /** Brings up {@code hosts} lab hosts that accept the given public key as well as the lab's own. */
    public static RealSshdLab up(int hosts, String publicKey) throws IOException, InterruptedException {
        requirePrerequisites();
        FileChannel lockChannel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            lockChannel.lock();
            if (Files.exists(DIR)) {
                LOG.warning("A lab left in " + DIR + " by a test run that died: taking it down first");
                run(List.of("down"));
            }
            Path key = Files.createTempFile("ballast-lab-key", ".pub");
            try {
                Files.writeString(key, publicKey + "\n");
                run(List.of("up", String.valueOf(hosts), "--authorize", key.toString()));
            } finally {
                Files.delete(key);
            }
            return new RealSshdLab(lockChannel);
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            lockChannel.close();
            throw e;
        }
    }

    public String ballastInventory() throws IOException {
        return Files.readString(DIR.resolve("ballast-inventory.yaml"));
    }

    /** Reboots one host ({@code deploy/lab/lab reboot}); answers what the boot printed about guests that did not start. */
    public String reboot(String host) throws IOException, InterruptedException {
        return output(List.of(SCRIPT.toString(), "reboot", host));
    }

    /** Takes the lab down, and checks on its own that no namespace, link, mount or process of it remains. */
    @Override
    public void close() throws IOException, InterruptedException {
        try (lockChannel) {
            takeDownAndCheck();
        }
    }

    private static void takeDownAndCheck() throws IOException, InterruptedException {
        run(List.of("down"));
        List<String> left = new ArrayList<>();
        if (output(List.of("ip", "netns", "list")).contains("ballast-lab-")) {
            left.add("a network namespace");
        }
        if (output(List.of("ip", "-brief", "link", "show")).lines().anyMatch(l -> l.startsWith("blab"))) {
            left.add("a veth link");
        }
        if (Files.readString(Path.of("/proc/self/mountinfo")).contains(DIR.toString())) {
            left.add("a mount");
        }
        try (var processes = ProcessHandle.allProcesses()) {
            if (processes.anyMatch(p -> p.info().commandLine().orElse("").contains(DIR + "/hosts/"))) {
                left.add("a process");
            }
        }
        if (!left.isEmpty() || Files.exists(DIR)) {
            throw new AssertionError("lab down left " + left + (Files.exists(DIR) ? " and " + DIR : ""));
        }
    }

    static void requirePrerequisites() throws IOException, InterruptedException {
        List<String> missing = new ArrayList<>();
        if (!"0".equals(output(List.of("id", "-u")).strip())) {
            missing.add("root");
        }
        for (String tool : List.of("/usr/sbin/sshd", "/usr/bin/python3", "/usr/bin/ssh-keygen")) {
            if (!Files.isExecutable(Path.of(tool))) {
                missing.add(tool);
            }
        }
        String why = "the real-sshd lab needs " + missing + " (.ci/run installs openssh-server and python3; CI runs as root)";
        if (!missing.isEmpty() && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(why);
        }
        Assumptions.assumeTrue(missing.isEmpty(), why);
    }

    static void run(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(args);
        output(command);
    }

    private static String output(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("BALLAST_LAB_DIR", DIR.toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError(command + " failed: " + out);
        }
        return out;
    }
}
