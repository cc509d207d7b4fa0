package dev.ballast.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/** One exec request on a lab host: parse, apply the host's faults, run the simulated program. */
final class LabCommand implements Command {

    private final LabHost host;
    private final String line;
    private final LabFleet fleet;
    private final ExecutorService executor;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private Future<?> running;

    LabCommand(LabHost host, String line, LabFleet fleet, ExecutorService executor) {
        this.host = host;
        this.line = line;
        this.fleet = fleet;
        this.executor = executor;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
        running = executor.submit(() -> run(channel));
    }

    private void run(ChannelSession channel) {
        try {
            String stdin = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Faults faults = host.faults();
            Thread.sleep(faults.commandLatency.toMillis());
            Exec result;
            try {
                List<String> argv = LabShellSyntax.parse(line);
                if (Faults.matches(faults.hangOn, argv.get(0))) {
                    Thread.sleep(Long.MAX_VALUE);
                }
                if (Faults.matches(faults.failOn, argv.get(0))) {
                    result = Exec.fail(1, argv.get(0) + ": Input/output error\n");
                } else {
                    result = host.state().execute(argv, stdin);
                }
                if (Faults.matches(faults.kernelTimeoutOn, argv.get(0))) {
                    host.state().logKernelTimeout();
                }
                if (Faults.matches(faults.dropOn, argv.get(0)) || faults.dropOnce(argv.get(0))) {
                    out.write(result.stdout().substring(0, result.stdout().length() / 2).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    channel.getSession().close(true);
                    return;
                }
            } catch (LabSurprise surprise) {
                fleet.surprised(host, line, surprise.getMessage());
                result = Exec.fail(127, "lab: not simulated: " + surprise.getMessage() + "\n");
            }
            out.write(result.stdout().getBytes(StandardCharsets.UTF_8));
            out.flush();
            err.write(result.stderr().getBytes(StandardCharsets.UTF_8));
            err.flush();
            exit.onExit(result.exit());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            exit.onExit(255, "lab: " + e.getMessage());
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        if (running != null) {
            running.cancel(true);
        }
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback exit) {
        this.exit = exit;
    }
}
