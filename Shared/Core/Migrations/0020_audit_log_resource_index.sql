-- One resource's history (a connection's page in the console) without scanning the organization's log.
CREATE INDEX IF NOT EXISTS audit_log_resource_idx ON audit_log (org_id, resource_type, resource_id, id DESC);
