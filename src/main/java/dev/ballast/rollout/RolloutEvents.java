package dev.ballast.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.ballast.jdbc.Jdbc;
import dev.ballast.problem.InvalidInputException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

/**
 * One rollout's live changes as named server-sent events, the one stream the UI, scripts and benchmarks
 * read: {@code rollout} (state, reason, current wave, controls, totals) and {@code wave} (one wave) when
 * they change, {@code host} (one host's task) for every change of a task. Each event's id is a position
 * in the rollout's task changes; a client that reconnects with {@code Last-Event-ID} gets every host
 * change after it (see migration V14 for why none can be lost), and the rollout and its waves afresh.
 * Without one, it starts at the present: it reads the host list itself. A stream costs per host changed,
 * not per host in the rollout, and ends once the rollout is settled and every change was sent.
 */
@ApplicationScoped
class RolloutEvents {

    static final Duration TICK = Duration.ofSeconds(1);
    static final int HOSTS_PER_TICK = 1_000;
    private static final Pattern POSITION = Pattern.compile("([0-9]{1,19})\\.([0-9]{1,19})");

    /** What changed at the rollout's level; its waves and hosts come as their own events. */
    record RolloutChange(long id, String state, String reason, int currentWave, List<String> controls, Map<String, Integer> totals,
            Instant finishedAt) {
    }

    /** A position in a rollout's task changes: past every change of a transaction before {@code xid}, and of {@code xid} up to task {@code task}. */
    record Position(long xid, long task) {
        static Position parse(String lastEventId) {
            Matcher m = POSITION.matcher(lastEventId);
            if (!m.matches()) {
                throw InvalidInputException.of("Last-Event-ID", "'" + lastEventId.substring(0, Math.min(40, lastEventId.length()))
                        + "' is not an event id of this stream (XID.TASK)");
            }
            return new Position(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
        }

        @Override
        public String toString() {
            return xid + "." + task;
        }
    }

    private final Jdbc jdbc;
    private final RolloutQueries queries;
    private final ObjectMapper json;

    RolloutEvents(Jdbc jdbc, RolloutQueries queries, ObjectMapper json) {
        this.jdbc = jdbc;
        this.queries = queries;
        this.json = json;
    }

    Multi<OutboundSseEvent> stream(long rollout, String lastEventId, Sse sse) {
        queries.get(rollout);
        Subscription subscription = new Subscription(rollout, lastEventId == null ? null : Position.parse(lastEventId), sse);
        return Multi.createBy().repeating().supplier(subscription::tick).withDelay(TICK)
                .whilst(events -> !subscription.ended)
                .onItem().<OutboundSseEvent>disjoint()
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** What one client has been sent. */
    private final class Subscription {
        private final long rollout;
        private final Sse sse;
        private Position position;
        private String rolloutSent;
        private final Map<Integer, String> wavesSent = new HashMap<>();
        private boolean ended;

        Subscription(long rollout, Position from, Sse sse) {
            this.rollout = rollout;
            this.sse = sse;
            this.position = from != null ? from : new Position(horizon(), 0);
        }

        /**
         * The host changes past the position (up to the horizon), then the waves and the rollout that
         * changed: a client that stops at the rollout's end has seen every host change that led to it. A
         * new client gets the rollout and its waves first. The rollout is read before the horizon is
         * taken, so a settled rollout's last task changes are below that horizon or beyond it, never
         * skipped: the stream ends only when none is beyond.
         */
        List<OutboundSseEvent> tick() {
            boolean first = rolloutSent == null;
            RolloutView view = queries.get(rollout);
            long horizon = horizon();
            Position before = position;
            List<HostChange> hosts = jdbc.list("select changed_in::text, id, " + RolloutQueries.TASK_COLUMNS + " from host_task "
                    + "where rollout_id = ? and (changed_in, id) > (cast(? as xid8), ?) and changed_in < cast(? as xid8) "
                    + "order by changed_in, id limit ?", r -> new HostChange(new Position(Long.parseLong(r.getString(1)), r.getLong(2)),
                            RolloutQueries.task(r, 3)), rollout, String.valueOf(position.xid()), position.task(),
                    String.valueOf(horizon), HOSTS_PER_TICK);
            List<OutboundSseEvent> hostEvents = new ArrayList<>();
            for (HostChange change : hosts) {
                position = change.position();
                hostEvents.add(event("host", position, text(change.task())));
            }
            boolean caughtUp = hosts.size() < HOSTS_PER_TICK;
            if (caughtUp) {
                position = new Position(horizon, 0);
            }
            // A new client's snapshot carries the position before its host changes: a break after it loses none.
            String snapshotAt = (first ? before : position).toString();
            List<OutboundSseEvent> events = new ArrayList<>(first ? List.of() : hostEvents);
            for (RolloutView.WaveView wave : view.waves()) {
                String waveNow = text(wave);
                if (!Objects.equals(wavesSent.put(wave.number(), waveNow), waveNow)) {
                    events.add(event("wave", snapshotAt, waveNow));
                }
            }
            String now = text(new RolloutChange(view.id(), view.state(), view.reason(), view.currentWave(), view.controls(),
                    view.totals(), view.finishedAt()));
            if (!now.equals(rolloutSent)) {
                rolloutSent = now;
                events.add(event("rollout", snapshotAt, now));
            }
            if (first) {
                events.addAll(hostEvents);
            }
            ended = caughtUp && view.settled() && jdbc.count("select count(*) from host_task where rollout_id = ? "
                    + "and changed_in >= cast(? as xid8)", rollout, String.valueOf(horizon)) == 0;
            return events;
        }

        private OutboundSseEvent event(String name, Object id, String data) {
            return sse.newEventBuilder().name(name).id(id.toString()).data(data).build();
        }
    }

    private record HostChange(Position position, HostTaskView task) {
    }

    /** Every transaction below this one has ended: no task change can appear below it any more. */
    private long horizon() {
        return jdbc.one("select pg_snapshot_xmin(pg_current_snapshot())::text", r -> Long.parseLong(r.getString(1))).orElseThrow();
    }

    private String text(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
