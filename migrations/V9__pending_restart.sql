-- Check mode tells a host whose configuration is right but whose running guests still use the old one
-- (PENDING_RESTART) from one whose configuration drifted (DRIFTED): the first needs a cold restart of
-- its guests, not a remediation.
alter table host_task drop constraint host_task_state_check;
alter table host_task add constraint host_task_state_check check (state in ('QUEUED', 'RUNNING', 'SUCCEEDED',
    'ALREADY_COMPLIANT', 'FAILED', 'ROLLED_BACK', 'SKIPPED', 'COMPLIANT', 'DRIFTED', 'PENDING_RESTART', 'CANCELLED'));
alter table step_result drop constraint step_result_outcome_check;
alter table step_result add constraint step_result_outcome_check check (outcome in (
    'PASSED', 'FAILED', 'NOT_APPLICABLE', 'COMPLIANT', 'DRIFTED', 'PENDING_RESTART', 'APPLIED', 'ALREADY_COMPLIANT',
    'VERIFY_FAILED', 'REFUSED_NOT_APPLICABLE', 'REFUSED_UNSAFE', 'REFUSED_IRREVERSIBLE', 'ROLLED_BACK', 'ROLLBACK_MISMATCH',
    'ROLLBACK_REFUSED', 'ROLLBACK_FAILED'));
alter table sweep_run add column pending_restart_hosts integer;

-- The domains that wait for a cold start before a step's change is in effect, per host and step, since
-- the first apply or check that saw them wait. A later apply, check or rollback of the step on the host
-- that finds a domain no longer waiting removes its row.
create table pending_restart (
    host_name   text not null,
    step        text not null,
    domain_uuid text not null,
    domain_name text not null,
    since       timestamptz not null default now(),
    seen_at     timestamptz not null default now(),
    primary key (host_name, step, domain_uuid)
);
