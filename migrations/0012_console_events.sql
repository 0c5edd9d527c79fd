-- 0012_console_events.sql - the console's event form, publishing,
-- cancelling and duplicating are recorded in the audit log.

ALTER TABLE audit_log
	DROP CONSTRAINT audit_log_action_check,
	ADD CONSTRAINT audit_log_action_check CHECK (action IN ('export',
	    'erasure', 'purge', 'login', 'login-failed', 'logout',
	    'user-create', 'user-disable', 'user-enable', 'user-role',
	    'user-password', 'token-create', 'token-revoke',
	    'event-create', 'event-update', 'event-publish', 'event-cancel',
	    'event-duplicate'));
