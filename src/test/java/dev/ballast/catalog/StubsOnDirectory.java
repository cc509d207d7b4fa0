package dev.ballast.catalog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ballast.remote.Command;
import dev.ballast.remote.CommandResult;
import dev.ballast.remote.RemoteShell;

/**
 * A host of the real-sshd lab kept in a plain directory, with no root and no namespace: {@code labtool
 * serve} under {@code BALLAST_LAB_ROOT} runs each command as the host's sshd would inside its namespace (the
 * stub, or the real coreutils on paths under the directory). The environment is what a lab host's sshd gives
 * a command: a PATH and no locale, so the real programs word their messages as in the C locale.
 */
final class StubsOnDirectory implements RemoteShell, AutoCloseable {

    private static final Path LABTOOL = Path.of("deploy/lab/stubs/labtool");
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process serve;
    private final Writer commands;
    private final BufferedReader answers;

    private StubsOnDirectory(Process serve) {
        this.serve = serve;
        this.commands = new OutputStreamWriter(serve.getOutputStream(), StandardCharsets.UTF_8);
        this.answers = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Host INDEX as {@code labtool init} makes it in ROOT; without Python the test fails under CI and skips elsewhere. */
    static StubsOnDirectory init(Path root, int index) throws IOException, InterruptedException {
        String why = "the lab stubs need " + PYTHON + " (.ci/run installs python3)";
        if (!Files.isExecutable(PYTHON) && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(why);
        }
        Assumptions.assumeTrue(Files.isExecutable(PYTHON), why);
        Process init = labtool(root, "init", Integer.toString(index)).redirectErrorStream(true).start();
        String said = new String(init.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!init.waitFor(60, TimeUnit.SECONDS) || init.exitValue() != 0) {
            throw new AssertionError("labtool init " + index + " failed: " + said);
        }
        return new StubsOnDirectory(labtool(root, "serve").redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    private static ProcessBuilder labtool(Path root, String... args) {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-S", LABTOOL.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        builder.environment().put("BALLAST_LAB_ROOT", root.toString());
        return builder;
    }

    @Override
    public CommandResult run(Command command) {
        Map<String, Object> line = new HashMap<>();
        line.put("argv", command.argv());
        line.put("stdin", command.hasStdin() ? new String(command.stdin(), StandardCharsets.UTF_8) : null);
        try {
            long started = System.nanoTime();
            commands.write(JSON.writeValueAsString(line) + "\n");
            commands.flush();
            String answer = answers.readLine();
            if (answer == null) {
                throw new AssertionError("labtool serve ended before answering " + command.argv());
            }
            JsonNode result = JSON.readTree(answer);
            return new CommandResult(String.join(" ", command.argv()), result.get("exit").asInt(), result.get("stdout").asText(),
                    result.get("stderr").asText(), false, (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        commands.close();
        if (!serve.waitFor(10, TimeUnit.SECONDS)) {
            serve.destroyForcibly();
        }
    }
}
