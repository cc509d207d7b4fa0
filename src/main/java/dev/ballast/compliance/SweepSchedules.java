package dev.ballast.compliance;

import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.TimeZone;

import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;

import dev.ballast.jdbc.ShutdownOrder;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The sweeps' cron triggers in Quartz's clustered JDBC store: in the same database and, with the
 * container-managed store, in the same transaction as the sweep rows. A run missed while no Ballast was
 * up fires once when one comes back (not once per missed time), then the schedule goes on.
 */
@ApplicationScoped
class SweepSchedules {

    private static final String GROUP = "sweeps";

    private final Scheduler quartz;

    SweepSchedules(Scheduler quartz) {
        this.quartz = quartz;
    }

    /**
     * Quartz stops with the loops, before the database (ShutdownOrder): its cluster check-in runs every
     * few seconds and would otherwise find its connection closed under it. Quarkus stops it again later
     * and finds it stopped.
     */
    void onStop(@Observes @Priority(ShutdownOrder.LOOPS) ShutdownEvent event) throws SchedulerException {
        quartz.shutdown(true);
    }

    void schedule(long sweep, String cron, String timeZone) {
        JobDetail job = JobBuilder.newJob(SweepJob.class).withIdentity(jobKey(sweep)).usingJobData(SweepJob.SWEEP_ID, Long.toString(sweep))
                .storeDurably(false).build();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(triggerKey(sweep)).forJob(job)
                .withSchedule(CronScheduleBuilder.cronSchedule(cron).inTimeZone(TimeZone.getTimeZone(timeZone))
                        .withMisfireHandlingInstructionFireAndProceed())
                .build();
        try {
            quartz.scheduleJob(job, Set.of(trigger), true);
        } catch (SchedulerException e) {
            throw new IllegalStateException("scheduling sweep " + sweep + " failed", e);
        }
    }

    void unschedule(long sweep) {
        try {
            quartz.deleteJob(jobKey(sweep));
        } catch (SchedulerException e) {
            throw new IllegalStateException("unscheduling sweep " + sweep + " failed", e);
        }
    }

    Instant nextRun(long sweep) {
        try {
            Trigger trigger = quartz.getTrigger(triggerKey(sweep));
            Date next = trigger == null ? null : trigger.getNextFireTime();
            return next == null ? null : next.toInstant();
        } catch (SchedulerException e) {
            throw new IllegalStateException("reading sweep " + sweep + "'s schedule failed", e);
        }
    }

    private static JobKey jobKey(long sweep) {
        return JobKey.jobKey("sweep-" + sweep, GROUP);
    }

    private static TriggerKey triggerKey(long sweep) {
        return TriggerKey.triggerKey("sweep-" + sweep, GROUP);
    }
}
