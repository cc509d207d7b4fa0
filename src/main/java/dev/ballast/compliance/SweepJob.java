package dev.ballast.compliance;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

import jakarta.inject.Inject;

/**
 * Fired by Quartz (clustered, so by one Ballast process) at each time of a sweep's cron schedule. It only
 * starts the run; the hosts are checked by the rollout queue's workers, never inside a Quartz job.
 */
@DisallowConcurrentExecution
public class SweepJob implements Job {

    // Quarkus stores job data as properties: strings only.
    static final String SWEEP_ID = "sweepId";

    @Inject
    SweepFiring firing;

    @Override
    public void execute(JobExecutionContext context) {
        firing.fire(Long.parseLong(context.getMergedJobDataMap().getString(SWEEP_ID)), context.getScheduledFireTime().toInstant());
    }
}
