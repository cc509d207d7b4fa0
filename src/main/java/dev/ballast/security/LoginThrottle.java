package dev.ballast.security;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.ballast.input.Check;
import dev.ballast.jdbc.Jdbc;
import dev.ballast.problem.RetryLaterException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Limits password guessing. Failures are counted per user name and per client address in PostgreSQL (so
 * replicas agree); a name or an address with too many failures inside the window is locked out for a while,
 * and a login for it is refused with 429 and Retry-After before its password is even checked, the right
 * one included. Names Ballast does not know are counted like known ones, so a lockout tells nothing about
 * which names exist. Password checks themselves (PBKDF2, deliberately slow) run a few at a time: a flood
 * of logins waits for a permit, or is told to come back, instead of taking every worker thread from the API.
 */
@ApplicationScoped
class LoginThrottle {

    private static final Logger LOG = Logger.getLogger(LoginThrottle.class);

    private final Jdbc jdbc;
    private final int maxPerUser;
    private final int maxPerAddress;
    private final Duration window;
    private final Duration lockout;
    private final Semaphore checks;
    private final Duration checkWait;

    LoginThrottle(Jdbc jdbc,
            @ConfigProperty(name = "ballast.security.login.max-failures-per-user", defaultValue = "5") int maxPerUser,
            @ConfigProperty(name = "ballast.security.login.max-failures-per-address", defaultValue = "20") int maxPerAddress,
            @ConfigProperty(name = "ballast.security.login.window", defaultValue = "15M") Duration window,
            @ConfigProperty(name = "ballast.security.login.lockout", defaultValue = "15M") Duration lockout,
            @ConfigProperty(name = "ballast.security.login.concurrent-checks") Optional<Integer> concurrentChecks,
            @ConfigProperty(name = "ballast.security.login.check-wait", defaultValue = "10S") Duration checkWait) {
        this.jdbc = jdbc;
        this.maxPerUser = maxPerUser;
        this.maxPerAddress = maxPerAddress;
        this.window = window;
        this.lockout = lockout;
        this.checks = new Semaphore(concurrentChecks.orElse(Runtime.getRuntime().availableProcessors()), true);
        this.checkWait = checkWait;
    }

    /** Refuses with 429 while the name or the address is locked out. */
    void requireUnlocked(String name, String address) {
        jdbc.one("select max(locked_until) from login_throttle where key in (?, ?) and locked_until > now()",
                r -> r.getTimestamp(1) == null ? null : r.getTimestamp(1).toInstant(), userKey(name), addressKey(address))
                .ifPresent(until -> {
                    throw new RetryLaterException(429, "too many failed logins for this user or from this address; "
                            + "logins are refused until " + until, Duration.between(Instant.now(), until));
                });
    }

    /** Runs a password check when a permit frees within the wait, else refuses with 503. */
    <T> T checking(Supplier<T> check) {
        try {
            if (!checks.tryAcquire(checkWait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new RetryLaterException(503, "too many logins are being checked at once", Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryLaterException(503, "the server is stopping", Duration.ofSeconds(5));
        }
        try {
            return check.get();
        } finally {
            checks.release();
        }
    }

    /** Counts a failure against the name and the address; forgets the keys that have been quiet for a window. */
    void failed(String name, String address) {
        jdbc.update("delete from login_throttle where window_start < now() - make_interval(secs => ?) "
                + "and (locked_until is null or locked_until < now())", (double) window.toSeconds());
        for (Counted key : List.of(new Counted(userKey(name), maxPerUser, "user " + Check.quoted(name)),
                new Counted(addressKey(address), maxPerAddress, "address " + address))) {
            if (count(key)) {
                LOG.warnf("Logins for %s are locked out for %s after %d failed logins", key.label(), lockout, key.max());
            }
        }
    }

    /** A successful login clears its name's count (its address keeps its own). */
    void succeeded(String name) {
        jdbc.update("delete from login_throttle where key = ?", userKey(name));
    }

    private record Counted(String key, int max, String label) {
    }

    /** One more failure in the key's window (a new window when the last is over); answers whether this one locked it. */
    private boolean count(Counted key) {
        double windowSeconds = window.toSeconds();
        return jdbc.one("""
                insert into login_throttle as t (key, failures, window_start) values (?, 1, now())
                on conflict (key) do update set
                    failures = case when t.window_start < now() - make_interval(secs => ?) then 1 else t.failures + 1 end,
                    window_start = case when t.window_start < now() - make_interval(secs => ?) then now() else t.window_start end
                returning failures""", r -> r.getInt(1), key.key(), windowSeconds, windowSeconds)
                .filter(failures -> failures >= key.max())
                .map(failures -> jdbc.update("update login_throttle set locked_until = now() + make_interval(secs => ?), "
                        + "failures = 0, window_start = now() where key = ?", (double) lockout.toSeconds(), key.key()) == 1)
                .orElse(false);
    }

    /** A digest of the name: any string may be tried as one, NUL and 3,000 characters included. */
    private static String userKey(String name) {
        return "user:" + HexFormat.of().formatHex(Secrets.hash(name));
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }
}
