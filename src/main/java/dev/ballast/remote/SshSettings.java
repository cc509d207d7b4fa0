package dev.ballast.remote;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How Ballast talks SSH to its hosts (README, "Configuration"). */
@ConfigMapping(prefix = "ballast.ssh")
public interface SshSettings {

    /** TCP connect, key exchange and login together. */
    @WithDefault("10s")
    Duration connectTimeout();

    /** Longest any single command may run before the connection is cut and the task fails with TIMEOUT. */
    @WithDefault("120s")
    Duration commandTimeout();

    /** Bytes kept of each of stdout and stderr per command; the rest is dropped and marked truncated. */
    @WithDefault("65536")
    int outputCap();
}
