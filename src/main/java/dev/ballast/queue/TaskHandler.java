package dev.ballast.queue;

/** Does the work of one claimed task and records its end; must not throw. */
public interface TaskHandler {

    void run(Claimed task, String instance);
}
