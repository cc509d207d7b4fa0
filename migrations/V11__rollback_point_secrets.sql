-- A rollback point's passwords (a domain's VNC or SPICE passwd, captured so that a redefine keeps it)
-- are stored apart from its facts, encrypted with the master key as SSH private keys are: the jsonb
-- columns hold the facts with those passwords masked, and these hold the passwords, by fact, sealed
-- with AES-256-GCM for this point's task and position. Null when a state holds no password.
alter table rollback_point add column captured_secrets bytea;
alter table rollback_point add column applied_secrets bytea;
