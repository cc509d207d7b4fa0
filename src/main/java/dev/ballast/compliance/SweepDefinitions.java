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

    /** A request as validated: the zone and selector in their canonical form. */
    private record Valid(String name, String cron, String zone, String selector, String plan, boolean remediate) {
        Map<String, Object> view() {
            return Map.of("name", name, "cron", cron, "timeZone", zone, "selector", selector, "plan", plan, "remediate", remediate);
        }
    }

    @Transactional
    public SweepDefinition create(SweepRequest request) {
        Valid valid = validate(request);
        long id = jdbc.one("insert into sweep (name, cron, time_zone, selector, plan_name, remediate, created_by) "
                + "values (?, ?, ?, ?, ?, ?, ?) on conflict (name) do nothing returning id", r -> r.getLong(1),
                valid.name(), valid.cron(), valid.zone(), valid.selector(), valid.plan(), valid.remediate(), audit.actor())
                .orElseThrow(() -> new ConflictException("a sweep named " + valid.name() + " exists already"));
        schedules.schedule(id, valid.cron(), valid.zone());
        SweepDefinition created = get(id);
        audit.record("sweep.create", "sweep/" + valid.name(), null, valid.view());
        return created;
    }

    /**
     * Replaces a sweep's definition with the same body as {@link #create}, and its Quartz trigger with one
     * for the new schedule (in the same transaction). Its runs stay: they belong to the sweep, not to its
     * schedule.
     */
    @Transactional
    public SweepDefinition update(long id, SweepRequest request) {
        SweepDefinition before = get(id);
        Valid valid = validate(request);
        if (jdbc.one("select 1 from sweep where name = ? and id <> ?", r -> 1, valid.name(), id).isPresent()) {
            throw new ConflictException("a sweep named " + valid.name() + " exists already");
        }
        jdbc.update("update sweep set name = ?, cron = ?, time_zone = ?, selector = ?, plan_name = ?, remediate = ? where id = ?",
                valid.name(), valid.cron(), valid.zone(), valid.selector(), valid.plan(), valid.remediate(), id);
        schedules.schedule(id, valid.cron(), valid.zone());
        audit.record("sweep.update", "sweep/" + valid.name(), Map.of("name", before.name(), "cron", before.cron(),
                "timeZone", before.timeZone(), "selector", before.selector(), "plan", before.plan(), "remediate", before.remediate()),
                valid.view());
        return get(id);
    }

    private Valid validate(SweepRequest request) {
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
        return new Valid(request.name(), cron, zone, selector.toString(), request.plan(), Boolean.TRUE.equals(request.remediate()));
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
