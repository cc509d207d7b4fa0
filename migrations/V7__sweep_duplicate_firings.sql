-- A second firing of the same sweep time (Quartz not clustered on some replica, or a clock far off) is
-- counted on the run instead of vanishing: operators see it, and the cluster test asserts it never happens.
alter table sweep_run add column duplicate_firings integer not null default 0;
