package dev.ballast.jdbc;

import jakarta.interceptor.Interceptor;

/**
 * The order in which Ballast's parts stop ({@code @Observes @Priority(...) ShutdownEvent}, lowest first):
 * the loops that read and write the database, then the writer of the last results, then the embedded
 * database itself. A part stopped out of order finds its connection gone and logs errors for nothing.
 */
public final class ShutdownOrder {

    /** Claim, coordinator and sweep loops; the worker pool drains here. */
    public static final int LOOPS = Interceptor.Priority.APPLICATION + 100;
    /** The last batch of host results, once no worker adds to it. */
    public static final int RESULTS = Interceptor.Priority.APPLICATION + 900;
    /** The embedded PostgreSQL, when Ballast runs its own. */
    public static final int DATABASE = Interceptor.Priority.APPLICATION + 1000;

    private ShutdownOrder() {
    }
}
