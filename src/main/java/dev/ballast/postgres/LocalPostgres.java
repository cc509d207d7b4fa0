package dev.ballast.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import com.sun.security.auth.module.UnixSystem;

/**
 * A PostgreSQL server that Ballast runs itself, for the embedded default and for tests: initialised on
 * first use, started on a loopback port with a generated password, stopped on close. Its data directory
 * survives restarts; a server left running by a process that was killed is adopted, not started twice.
 *
 * <p>As root the server programs run as the {@code postgres} user (initdb refuses root); the data
 * directory's password file stays readable by Ballast's own user only.
 */
public final class LocalPostgres implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalPostgres.class);
    private static final String SUPERUSER = "ballast";
    private static final String DATABASE = "postgres";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    /**
     * @param dataDir  directory of Ballast's own holding the cluster, its password and its log
     * @param binaries "auto", "bundled" or a directory with initdb and pg_ctl
     * @param port     TCP port on 127.0.0.1, or 0 for any free one
     * @param durable  false trades crash safety for speed (throwaway test databases)
     */
    public record Options(Path dataDir, String binaries, int port, boolean durable) {
    }

    private final Path bin;
    private final Path pgdata;
    private final int port;
    private final String password;
    private final boolean runAsPostgres;

    private LocalPostgres(Path bin, Path pgdata, int port, String password, boolean runAsPostgres) {
        this.bin = bin;
        this.pgdata = pgdata;
        this.port = port;
        this.password = password;
        this.runAsPostgres = runAsPostgres;
    }

    public static LocalPostgres start(Options options) {
        try {
            return startChecked(options);
        } catch (IOException e) {
            throw new UncheckedIOException("starting the local PostgreSQL in " + options.dataDir(), e);
        }
    }

    private static LocalPostgres startChecked(Options options) throws IOException {
        Path base = Files.createDirectories(options.dataDir().toAbsolutePath().normalize());
        Path bin = PostgresBinaries.resolve(options.binaries(), base.resolve("binaries"));
        boolean asRoot = new UnixSystem().getUid() == 0;
        Path pgdata = base.resolve("pgdata");
        Path logDir = Files.createDirectories(base.resolve("log"));
        Path passwordFile = base.resolve("password");
        if (asRoot) {
            prepareForPostgresUser(base, pgdata, logDir);
        }
        String password = Files.isDirectory(pgdata) && Files.exists(pgdata.resolve("PG_VERSION"))
                ? readPassword(passwordFile, pgdata)
                : initialise(bin, pgdata, passwordFile, asRoot);
        LocalPostgres adopted = adoptRunning(bin, pgdata, password, asRoot);
        if (adopted != null) {
            return adopted;
        }
        int port = options.port() != 0 ? options.port() : freePort();
        LocalPostgres server = new LocalPostgres(bin, pgdata, port, password, asRoot);
        server.pgCtl("start", "-l", logDir.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", server.serverOptions(options.durable()));
        LOG.infof("Started local PostgreSQL on 127.0.0.1:%d (data in %s)", port, pgdata);
        return server;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public String user() {
        return SUPERUSER;
    }

    public String password() {
        return password;
    }

    /** Stops the server, letting it finish open transactions' rollback ("fast" shutdown). */
    @Override
    public void close() {
        pgCtl("stop", "-m", "fast", "-w", "-t", "60");
        LOG.infof("Stopped local PostgreSQL (data in %s)", pgdata);
    }

    private String serverOptions(boolean durable) {
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200";
        return durable ? options : options + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
    }

    private static void prepareForPostgresUser(Path base, Path pgdata, Path logDir) throws IOException {
        if (run(List.of("id", "-u", "postgres"), null) != 0) {
            throw new EmbeddedPostgresException("running as root, the local PostgreSQL needs a 'postgres' system user "
                    + "(initdb refuses root): create one with 'useradd --system postgres', run Ballast as a normal user, "
                    + "or set quarkus.datasource.jdbc.url");
        }
        // The postgres user must pass through Ballast's own directory (the password file in it stays 0600).
        Set<PosixFilePermission> baseMode = new HashSet<>(Files.getPosixFilePermissions(base));
        baseMode.add(PosixFilePermission.OTHERS_EXECUTE);
        Files.setPosixFilePermissions(base, baseMode);
        Files.createDirectories(pgdata);
        Files.setPosixFilePermissions(pgdata, PosixFilePermissions.fromString("rwx------"));
        run(List.of("chown", "postgres:", pgdata.toString(), logDir.toString()), null);
        if (run(List.of("runuser", "-u", "postgres", "--", "test", "-w", logDir.toString()), null) != 0) {
            throw new EmbeddedPostgresException("the postgres user cannot reach " + base
                    + ": a directory above it is not open to other users; set ballast.embedded-postgres.data-dir "
                    + "to a path such as /var/lib/ballast/postgres");
        }
    }

    private static String initialise(Path bin, Path pgdata, Path passwordFile, boolean asRoot) throws IOException {
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(24));
        Files.writeString(passwordFile, password, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        // initdb reads the password from a file; as root it runs as postgres and gets a copy of its own.
        Path pwfile = Files.createTempFile(pgdata.getParent(), "initdb-", ".pw");
        try {
            Files.writeString(pwfile, password, StandardCharsets.UTF_8);
            if (asRoot) {
                run(List.of("chown", "postgres:", pwfile.toString()), null);
            }
            List<String> initdb = command(asRoot, bin.resolve("initdb").toString(), "-D", pgdata.toString(),
                    "-U", SUPERUSER, "--pwfile=" + pwfile, "-A", "scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync");
            expectSuccess(initdb, pgdata.getParent());
        } finally {
            Files.deleteIfExists(pwfile);
        }
        LOG.infof("Initialised a new PostgreSQL cluster in %s", pgdata);
        return password;
    }

    private static String readPassword(Path passwordFile, Path pgdata) throws IOException {
        if (!Files.exists(passwordFile)) {
            throw new EmbeddedPostgresException(pgdata + " exists but its password file " + passwordFile
                    + " is missing; restore it or move the data directory aside");
        }
        return Files.readString(passwordFile, StandardCharsets.UTF_8).trim();
    }

    /** A server whose postmaster.pid names a live process is reused: its owner was killed without stopping it. */
    private static LocalPostgres adoptRunning(Path bin, Path pgdata, String password, boolean asRoot) throws IOException {
        List<String> status = command(asRoot, bin.resolve("pg_ctl").toString(), "-D", pgdata.toString(), "status");
        if (run(status, null) != 0) {
            return null;
        }
        List<String> pid = Files.readAllLines(pgdata.resolve("postmaster.pid"));
        int port = Integer.parseInt(pid.get(3).trim());
        LOG.infof("Reusing the local PostgreSQL already running on 127.0.0.1:%d (data in %s)", port, pgdata);
        return new LocalPostgres(bin, pgdata, port, password, asRoot);
    }

    private void pgCtl(String action, String... args) {
        List<String> argv = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", pgdata.toString()));
        argv.addAll(List.of(args));
        argv.add(action);
        expectSuccess(command(runAsPostgres, argv.toArray(String[]::new)), pgdata.getParent());
    }

    private static List<String> command(boolean asPostgres, String... argv) {
        List<String> command = new ArrayList<>();
        if (asPostgres) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.addAll(List.of(argv));
        return command;
    }

    private static void expectSuccess(List<String> command, Path logDir) {
        try {
            Path output = Files.createTempFile(logDir, "command-", ".log");
            try {
                int exit = run(command, output);
                if (exit != 0) {
                    throw new EmbeddedPostgresException(String.join(" ", command) + " exited with " + exit + ": "
                            + Files.readString(output, StandardCharsets.UTF_8).strip());
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Output goes to a file, never a pipe: pg_ctl's server outlives the command and would hold a pipe open.
     */
    private static int run(List<String> command, Path output) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("LC_ALL", "C");
        builder.redirectOutput(output == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(output.toFile()));
        Process process = builder.start();
        try {
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new EmbeddedPostgresException(String.join(" ", command) + " did not finish within " + COMMAND_TIMEOUT);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedPostgresException("interrupted while running " + String.join(" ", command));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
