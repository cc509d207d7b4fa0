package dev.ballast.compliance;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

import org.quartz.CronExpression;

import dev.ballast.audit.AuditLog;
import dev.ballast.input.Names;
import dev.ballast.inventory.Selector;
import dev.ballast.jdbc.Jdbc;
import dev.ballast.plan.Plans;
import dev.ballast.problem.ConflictException;
import dev.ballast.problem.InvalidInputException;
import dev.ballast.problem.NotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Compliance sweeps as defined: a plan in check mode over a selector, on a cron schedule. The row and its
 * Quartz trigger are created and deleted together; {@link SweepFiring} runs them, {@link SweepReports}
 * tells what the runs found.
 */
@ApplicationScoped
public class SweepDefinitions {

    /** A new sweep as the API takes it. */
    public record SweepRequest(String name, String cron, String timeZone, String selector, String plan, Boolean remediate) {
    }

    private static final String COLUMNS = "id, name, cron, time_zone, selector, plan_name, remediate, created_by, created_at";

    private final Jdbc jdbc;
    private final SweepSchedules schedules;
    private final Plans plans;
    private final AuditLog audit;

    SweepDefinitions(Jdbc jdbc, SweepSchedules schedules, Plans plans, AuditLog audit) {
        this.jdbc = jdbc;
        this.schedules = schedules;
        this.plans = plans;
        this.audit = audit;
    }

    @Transactional
    public SweepDefinition create(SweepRequest request) {
        if (request == null) {
            throw InvalidInputException.of("body", "a JSON object with name, cron, selector and plan is required");
        }
        Names.check("name", request.name());
        String zone = validZone(request.timeZone() == null ? "UTC" : request.timeZone());
        String cron = validCron(request.cron(), zone);
        Selector selector = Selector.parse("selector", request.selector() == null ? "" : request.selector());
        if (request.plan() == null) {
            throw InvalidInputException.of("plan", "is required: the name of a saved plan");
        }
        try {
            plans.latest(request.plan());
        } catch (NotFoundException e) {
            throw InvalidInputException.of("plan", e.getMessage());
        }
        long id = jdbc.one("insert into sweep (name, cron, time_zone, selector, plan_name, remediate, created_by) "
                + "values (?, ?, ?, ?, ?, ?, ?) on conflict (name) do nothing returning id", r -> r.getLong(1),
                request.name(), cron, zone, selector.toString(), request.plan(), Boolean.TRUE.equals(request.remediate()),
                audit.actor())
                .orElseThrow(() -> new ConflictException("a sweep named " + request.name() + " exists already"));
        schedules.schedule(id, cron, zone);
        SweepDefinition created = get(id);
        audit.record("sweep.create", "sweep/" + request.name(), null, Map.of("cron", cron, "timeZone", zone,
                "selector", selector.toString(), "plan", request.plan(), "remediate", created.remediate()));
        return created;
    }

    /** A cron expression that fires again: Quartz refuses to schedule one that never will (30 February, a past year). */
    private static String validCron(String cron, String zone) {
        if (cron == null || cron.isBlank()) {
            throw InvalidInputException.of("cron", "is required: a Quartz cron expression such as '0 0 3 * * ?' (03:00 daily)");
        }
        CronExpression expression;
        try {
            expression = new CronExpression(cron);
        } catch (ParseException e) {
            throw InvalidInputException.of("cron", "'" + cron + "' is not a Quartz cron expression (seconds minutes hours "
                    + "day-of-month month day-of-week [year]): " + e.getMessage());
        }
        expression.setTimeZone(TimeZone.getTimeZone(ZoneId.of(zone)));
        if (expression.getNextValidTimeAfter(new Date()) == null) {
            throw InvalidInputException.of("cron", "'" + cron + "' never fires from now on (a day the month does not have, or "
                    + "a year gone by)");
        }
        return cron;
    }

    private static String validZone(String zone) {
        try {
            return ZoneId.of(zone).getId();
        } catch (DateTimeException e) {
            throw InvalidInputException.of("timeZone", "'" + zone + "' is not a time zone such as UTC or Europe/Paris");
        }
    }

    /** Every sweep by name, with its next run as Quartz has it. */
    public List<SweepDefinition> list() {
        return jdbc.list("select " + COLUMNS + " from sweep order by name", this::definition);
    }

    public SweepDefinition get(long id) {
        return jdbc.one("select " + COLUMNS + " from sweep where id = ?", this::definition, id)
                .orElseThrow(() -> new NotFoundException("no sweep " + id));
    }

    @Transactional
    public void delete(long id) {
        SweepDefinition sweep = get(id);
        schedules.unschedule(id);
        jdbc.update("delete from sweep where id = ?", id);
        audit.record("sweep.delete", "sweep/" + sweep.name(), Map.of("cron", sweep.cron(), "plan", sweep.plan()), null);
    }

    private SweepDefinition definition(ResultSet r) throws SQLException {
        long id = r.getLong(1);
        return new SweepDefinition(id, r.getString(2), r.getString(3), r.getString(4), r.getString(5), r.getString(6),
                r.getBoolean(7), r.getString(8), r.getTimestamp(9).toInstant(), schedules.nextRun(id));
    }
}
