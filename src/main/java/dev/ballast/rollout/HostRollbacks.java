package dev.ballast.rollout;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.ballast.audit.AuditLog;
import dev.ballast.jdbc.Jdbc;
import dev.ballast.problem.ConflictException;
import dev.ballast.problem.NotFoundException;
import dev.ballast.rollback.RollbackPoints;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Rolling one host back to where it was before one rollout: a rollout of mode ROLLBACK with one task,
 * carried by the same queue and workers as every other, so it survives restarts and never runs while
 * another task holds the host. Asking again while it runs, or after it restored everything, answers the
 * same rollback instead of starting another.
 */
@ApplicationScoped
public class HostRollbacks {

    /** The rollback rollout, and whether this request made it. */
    public record Started(RolloutView rollout, boolean created) {
    }

    private final Jdbc jdbc;
    private final RollbackPoints points;
    private final RolloutCreation creation;
    private final RolloutQueries queries;
    private final AuditLog audit;

    HostRollbacks(Jdbc jdbc, RollbackPoints points, RolloutCreation creation, RolloutQueries queries, AuditLog audit) {
        this.jdbc = jdbc;
        this.points = points;
        this.creation = creation;
        this.queries = queries;
        this.audit = audit;
    }

    @Transactional
    public Started rollBack(String host, long source, boolean force) {
        // Two rollbacks of one host asked at once queue behind this lock; the second finds the first.
        long hostId = jdbc.one("select id from host where name = ? for update", r -> r.getLong(1), host)
                .orElseThrow(() -> new NotFoundException("no host named " + host));
        String mode = jdbc.one("select mode from rollout where id = ?", r -> r.getString(1), source)
                .orElseThrow(() -> new NotFoundException("no rollout " + source));
        if (!mode.equals(Mode.APPLY.name())) {
            throw new ConflictException("rollout " + source + " ran in " + mode.toLowerCase() + " mode and changed nothing");
        }
        Optional<Long> pending = rollbackOf(source, host, "t.state in ('QUEUED', 'RUNNING')");
        if (pending.isPresent()) {
            return new Started(queries.get(pending.get()), false);
        }
        Optional<Long> busy = jdbc.one("select rollout_id from host_task where host_id = ? and state = 'RUNNING'", r -> r.getLong(1),
                hostId);
        if (busy.isPresent()) {
            throw new ConflictException(host + " is busy: rollout " + busy.get() + " is working on it now; roll back when it is done");
        }
        List<RollbackPoints.Captured> toRestore = points.unrestored(source, host);
        if (toRestore.isEmpty()) {
            Optional<Long> done = rollbackOf(source, host, "t.state = 'SUCCEEDED'");
            if (done.isPresent()) {
                return new Started(queries.get(done.get()), false);
            }
            throw new ConflictException("rollout " + source + " changed nothing on " + host + " that is not restored already");
        }
        long id = creation.createRollback(source, hostId, host, audit.actor(), force);
        audit.record("host.rollback", "host/" + host, null, Map.of("rollout", id, "rollsBack", source,
                "steps", toRestore.stream().map(RollbackPoints.Captured::step).toList(), "forced", force));
        return new Started(queries.get(id), true);
    }

    private Optional<Long> rollbackOf(long source, String host, String taskCondition) {
        return jdbc.one("select r.id from rollout r join host_task t on t.rollout_id = r.id where r.rolls_back = ? "
                + "and t.host_name = ? and " + taskCondition + " order by r.id desc limit 1", r -> r.getLong(1), source, host);
    }
}
