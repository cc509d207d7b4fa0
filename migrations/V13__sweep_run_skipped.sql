-- A firing that comes while the sweep's previous run still checks hosts starts nothing: that run is
-- SKIPPED, not FAILED (nothing failed), and its error says which run was still going. Runs recorded
-- before this version as FAILED with "skipped: ..." become what they were.
alter table sweep_run drop constraint sweep_run_state_check;
alter table sweep_run add constraint sweep_run_state_check check (state in ('RUNNING', 'DONE', 'FAILED', 'SKIPPED'));
update sweep_run set state = 'SKIPPED', error = substring(error from 10) where state = 'FAILED' and error like 'skipped: %';
