package dev.ballast;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * The one way a test waits for what another thread or process does: it asks again until the answer is
 * the one it waits for, and fails with the last answer once the deadline has passed. Never a sleep of a
 * guessed length: on a fast machine the test goes on at once, on a slow one it still sees the event.
 */
public final class Poll {

    private static final Duration INTERVAL = Duration.ofMillis(50);

    private Poll() {
    }

    /** A question to ask again; it may fail while the answer is not there yet only if it catches that itself. */
    public interface Probe<T> {
        T ask() throws Exception;
    }

    /** Asks until {@code done} holds for the answer, and returns that answer. */
    public static <T> T until(String what, Duration timeout, Probe<T> probe, Predicate<? super T> done) {
        return until(what, timeout, INTERVAL, probe, done);
    }

    /** Asks until the answer is true. */
    public static void until(String what, Duration timeout, Probe<Boolean> condition) {
        until(what, timeout, condition, Boolean.TRUE::equals);
    }

    /** As {@link #until(String, Duration, Probe, Predicate)}, asking every {@code interval}. */
    public static <T> T until(String what, Duration timeout, Duration interval, Probe<T> probe, Predicate<? super T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last;
        while (true) {
            try {
                last = probe.ask();
            } catch (Exception e) {
                throw new AssertionError("waiting until " + what + ": " + e, e);
            }
            if (done.test(last)) {
                return last;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within " + timeout.toSeconds() + " s; last: " + last);
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what, e);
            }
        }
    }
}
