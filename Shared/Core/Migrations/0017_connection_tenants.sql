-- The organisations (tenants) a grant reaches, where one grant may reach several (Xero). With
-- several and no account_id chosen, the connection waits for the user to pick one.
ALTER TABLE connections ADD COLUMN IF NOT EXISTS tenants jsonb NOT NULL DEFAULT '[]'::jsonb;
