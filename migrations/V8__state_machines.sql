-- A rollout that ends ends its open waves: the wave machine gains CANCELLED, and the waves of rollouts
-- cancelled before this version, left RUNNING or PENDING, are ended now.
alter table wave drop constraint wave_state_check;
alter table wave add constraint wave_state_check
    check (state in ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'));
update wave w set state = 'CANCELLED', finished_at = coalesce(r.finished_at, now())
    from rollout r where r.id = w.rollout_id and r.state = 'CANCELLED' and w.state in ('PENDING', 'RUNNING');

-- How each line of a host's history ended and why a task failed are enums in the code (StepOutcome,
-- ErrorKind); the database holds the same names and nothing else (a test compares the lists).
alter table step_result add constraint step_result_outcome_check check (outcome in (
    'PASSED', 'FAILED', 'NOT_APPLICABLE', 'COMPLIANT', 'DRIFTED', 'APPLIED', 'ALREADY_COMPLIANT', 'VERIFY_FAILED',
    'REFUSED_NOT_APPLICABLE', 'REFUSED_UNSAFE', 'REFUSED_IRREVERSIBLE', 'ROLLED_BACK', 'ROLLBACK_MISMATCH', 'ROLLBACK_REFUSED',
    'ROLLBACK_FAILED'));
alter table host_task add constraint host_task_error_kind_check check (error_kind in (
    'UNREACHABLE', 'AUTH_FAILED', 'HOST_KEY_UNKNOWN', 'HOST_KEY_MISMATCH', 'TIMEOUT', 'CONNECTION_LOST', 'COMMAND_FAILED',
    'PREFLIGHT_FAILED', 'VERIFY_FAILED', 'HEALTH_GATE', 'REFUSED_NOT_APPLICABLE', 'REFUSED_UNSAFE', 'REFUSED_IRREVERSIBLE',
    'ROLLBACK_MISMATCH', 'INTERNAL'));
