package dev.ballast.queue;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import dev.ballast.jdbc.ShutdownOrder;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The worker pool of one Ballast process: a loop that claims tasks while threads are free, a heartbeat
 * that renews the leases of tasks in hand, and the recovery of tasks whose lease expired elsewhere.
 * Loops never die: a failed round is logged and the next one runs.
 */
@ApplicationScoped
public class Workers {

    private static final Logger LOG = Logger.getLogger(Workers.class);

    private final TaskQueue queue;
    private final TaskHandler handler;
    private final WorkerSettings settings;
    private final String instance;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object wake = new Object();
    private ExecutorService pool;
    private ScheduledExecutorService heartbeat;
    private Thread claimer;
    private volatile boolean stopping;

    Workers(TaskQueue queue, TaskHandler handler, WorkerSettings settings) {
        this.queue = queue;
        this.handler = handler;
        this.settings = settings;
        this.instance = settings.instanceId().orElseGet(Workers::defaultInstance);
    }

    public String instance() {
        return instance;
    }

    void onStart(@Observes StartupEvent event) {
        if (!settings.enabled()) {
            LOG.info("Workers disabled (ballast.workers.enabled=false): this process claims no host tasks");
            return;
        }
        pool = Executors.newFixedThreadPool(settings.threads(), daemon("ballast-worker"));
        heartbeat = Executors.newSingleThreadScheduledExecutor(daemon("ballast-heartbeat"));
        long period = Math.max(1, settings.lease().toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
        claimer = daemon("ballast-claimer").newThread(this::claimLoop);
        claimer.start();
        LOG.infof("Workers started as %s: %d threads, lease %s", instance, settings.threads(), settings.lease());
    }

    private void claimLoop() {
        while (!stopping) {
            int claimed = 0;
            try {
                for (TaskQueue.OpenRollout rollout : queue.openRollouts()) {
                    int free = settings.threads() - inFlight.get();
                    if (free <= 0) {
                        break;
                    }
                    List<Claimed> tasks = queue.claim(rollout, free, instance, settings.lease());
                    claimed += tasks.size();
                    tasks.forEach(this::start);
                }
            } catch (RuntimeException e) {
                LOG.errorf("Claiming host tasks failed (%s); trying again", e.getMessage());
            }
            if (claimed == 0 || inFlight.get() >= settings.threads()) {
                synchronized (wake) {
                    try {
                        wake.wait(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                // Let finished tasks gather, so one claim round refills many threads, not one.
                pause(20);
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void start(Claimed task) {
        inFlight.incrementAndGet();
        pool.execute(() -> {
            try {
                handler.run(task, instance);
            } finally {
                inFlight.decrementAndGet();
                synchronized (wake) {
                    wake.notifyAll();
                }
            }
        });
    }

    private void beat() {
        try {
            queue.renew(instance, settings.lease());
            int requeued = queue.requeueExpired();
            if (requeued > 0) {
                LOG.warnf("Put %d host tasks back in the queue: their process stopped renewing its lease", requeued);
            }
        } catch (RuntimeException e) {
            LOG.errorf("Renewing leases failed (%s); trying again", e.getMessage());
        }
    }

    /** Before the result writer's last flush (it observes later), so finished hosts are recorded. */
    void onStop(@Observes @Priority(ShutdownOrder.LOOPS) ShutdownEvent event) throws InterruptedException {
        stopping = true;
        if (pool == null) {
            return;
        }
        synchronized (wake) {
            wake.notifyAll();
        }
        claimer.join(2000);
        pool.shutdown();
        // In-flight hosts finish cleanly; tasks still running after this keep their lease until it expires.
        pool.awaitTermination(30, TimeUnit.SECONDS);
        heartbeat.shutdownNow();
    }

    private static String defaultInstance() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
