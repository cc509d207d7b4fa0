-- The rollout event stream sends each host task's changes once, in order, and resumes after a reconnect
-- without losing one. Every insert and every change of a task's state, attempt or error is stamped with
-- the id of the transaction that made it. A reader takes the changes whose transaction is older than
-- the oldest one still running (pg_snapshot_xmin): all of those have committed or rolled back, so none
-- can appear later below that horizon, which is the position a client resumes from (its Last-Event-ID).
-- A trigger rather than each UPDATE: a new writer of host_task cannot forget it.
alter table host_task add column changed_in xid8 not null default pg_current_xact_id();
create index host_task_changes on host_task (rollout_id, changed_in);

create function host_task_stamp_change() returns trigger language plpgsql as $$
begin
    new.changed_in := pg_current_xact_id();
    return new;
end
$$;

create trigger host_task_changed before update on host_task for each row
    when (old.state is distinct from new.state or old.attempt is distinct from new.attempt
          or old.error is distinct from new.error)
    execute function host_task_stamp_change();
