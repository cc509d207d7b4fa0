-- Rolling back one host from the web is a small rollout of its own: mode ROLLBACK, one wave, one task,
-- pointing at the rollout whose changes it undoes (the rollback points of that rollout and host).
alter table rollout drop constraint rollout_mode_check;
alter table rollout add constraint rollout_mode_check check (mode in ('APPLY', 'CHECK', 'ROLLBACK'));
alter table rollout add column rolls_back bigint references rollout (id);
create index rollout_rolls_back on rollout (rolls_back) where rolls_back is not null;
