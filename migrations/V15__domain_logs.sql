-- The last lines of the QEMU logs of the domains a failed step or check concerned (masked and capped by the
-- catalog's DomainLog), so an operator reads QEMU's own reason next to Ballast's.
alter table step_result add column domain_logs jsonb;
