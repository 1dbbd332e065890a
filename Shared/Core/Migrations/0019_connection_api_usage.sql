-- The provider's API allowance as last reported on a sync (Salesforce's Sforce-Limit-Info):
-- {"used", "limit", "observed_at"}; NULL until a provider reports one.
ALTER TABLE connections ADD COLUMN IF NOT EXISTS api_usage jsonb;
