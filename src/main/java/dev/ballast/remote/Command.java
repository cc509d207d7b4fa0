package dev.ballast.remote;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One remote command as an argument vector, plus what it reads on standard input. SSH hands the remote
 * side a single string that the login shell parses, so {@link #render()} quotes every token with
 * {@link #quote(String)}, the only quoting function in Ballast. Arguments come either from literals in
 * Ballast's own code or from {@link RemoteArg} values, never from raw request text.
 */
public final class Command {

    /** Tokens made only of these characters mean the same to every POSIX shell, quoted or not. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private final List<String> argv;
    private final byte[] stdin;
    private final Duration timeout;

    private Command(List<String> argv, byte[] stdin, Duration timeout) {
        this.argv = List.copyOf(argv);
        this.stdin = stdin;
        this.timeout = timeout;
    }

    /** A program and its literal leading arguments, all written in Ballast's code. */
    public static Command of(String program, String... literals) {
        List<String> argv = new ArrayList<>();
        argv.add(program);
        argv.addAll(List.of(literals));
        return new Command(argv, null, null);
    }

    public Command literal(String... literals) {
        List<String> next = new ArrayList<>(argv);
        next.addAll(List.of(literals));
        return new Command(next, stdin, timeout);
    }

    public Command arg(RemoteArg value) {
        return literal(value.arg());
    }

    /** One token made of a literal prefix and a value, as in {@code vm.nr_hugepages=2048}. */
    public Command arg(String literalPrefix, RemoteArg value) {
        return literal(literalPrefix + value.arg());
    }

    public Command stdin(String text) {
        return new Command(argv, text.getBytes(StandardCharsets.UTF_8), timeout);
    }

    /**
     * Allows this command longer than the configured command timeout: for commands that run for a
     * chosen time by design (a fio measurement), never to paper over a slow host.
     */
    public Command allowing(Duration runTime) {
        return new Command(argv, stdin, runTime);
    }

    /** The time this command may take, or null for the configured command timeout. */
    public Duration timeout() {
        return timeout;
    }

    public List<String> argv() {
        return argv;
    }

    /** What the command reads on standard input; empty means it reads end-of-file at once. */
    public byte[] stdin() {
        return stdin == null ? new byte[0] : stdin.clone();
    }

    public boolean hasStdin() {
        return stdin != null;
    }

    /** The command line the remote shell receives. */
    public String render() {
        StringBuilder line = new StringBuilder();
        for (String token : argv) {
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(quote(token));
        }
        return line.toString();
    }

    /**
     * Quotes one token for a POSIX shell: inside single quotes nothing is special, and a single quote
     * itself is closed, escaped and reopened. NUL cannot travel through a shell at all and is refused.
     */
    public static String quote(String token) {
        if (token.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a NUL character cannot be passed to a remote command");
        }
        if (PLAIN.matcher(token).matches()) {
            return token;
        }
        return "'" + token.replace("'", "'\\''") + "'";
    }

    @Override
    public String toString() {
        return render();
    }
}
