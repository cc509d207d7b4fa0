-- A domain's rollback refuses when the domain is gone or its XML changed since Ballast applied, unless
-- the operator forces it: each point keeps what verify saw right after apply (what Ballast left), and a
-- host's rollback rollout whether it was forced (audited with it).
alter table rollback_point add column applied jsonb;
alter table rollout add column forced boolean not null default false;
