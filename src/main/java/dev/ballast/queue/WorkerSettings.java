package dev.ballast.queue;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The worker pool of this Ballast process (README, "Configuration"). */
@ConfigMapping(prefix = "ballast.workers")
public interface WorkerSettings {

    /** Whether this process claims host tasks at all (an API-only replica says false). */
    @WithDefault("true")
    boolean enabled();

    /** Host tasks this process runs at once. */
    @WithDefault("64")
    int threads();

    /** How long a claimed task stays this process's without a heartbeat; then another process takes it. */
    @WithDefault("30s")
    Duration lease();

    /** The name this process records on the tasks it runs; host name and process id when unset. */
    Optional<String> instanceId();
}
