-- Connections: one organization's link to one provider, its sealed credentials, and the history
-- of its status. Credentials are one AES-256-GCM ciphertext per row (every field sealed, whatever
-- its name), bound to the row's organization and id; only field names and times are in clear.

CREATE TABLE connections (
    id                        uuid        PRIMARY KEY,
    org_id                    uuid        NOT NULL,
    provider                  text        NOT NULL,
    name                      text        NOT NULL,
    status                    text        NOT NULL
        CHECK (status IN ('connecting', 'connected', 'error', 'reauth_required', 'disconnected')),
    status_reason             text,
    status_changed_at         timestamptz NOT NULL DEFAULT now(),
    settings                  jsonb       NOT NULL DEFAULT '{}'::jsonb,
    sync_enabled              boolean     NOT NULL DEFAULT true,
    -- The provider's identifier of the account reached (acct_…, shop domain, realm id, item id):
    -- inbound webhooks are routed by it. Not secret.
    account_id                text,
    account_name              text,
    credential_key_id         text,
    credential_ciphertext     bytea,
    credential_fields         text[]      NOT NULL DEFAULT '{}',
    credentials_rotated_at    timestamptz,
    -- Increases with every credential write, so a token refresh stores its result only over the
    -- credentials it refreshed (compare-and-set), never over newer ones.
    credential_version        bigint      NOT NULL DEFAULT 0,
    token_expires_at          timestamptz,
    refresh_token_expires_at  timestamptz,
    scopes                    text[]      NOT NULL DEFAULT '{}',
    last_tested_at            timestamptz,
    last_test_ok              boolean,
    last_test_message         text,
    created_by                text        NOT NULL,
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now(),
    disconnected_at           timestamptz,
    CHECK ((credential_key_id IS NULL) = (credential_ciphertext IS NULL))
);

-- At most one live connection per organization and provider; a disconnected one stays for
-- audit and does not block reconnecting. The constraint, not a check-then-insert, decides races.
CREATE UNIQUE INDEX connections_one_per_provider ON connections (org_id, provider) WHERE status <> 'disconnected';
CREATE INDEX connections_org_listing ON connections (org_id, created_at DESC, id DESC);
CREATE INDEX connections_token_expiry ON connections (token_expires_at)
    WHERE status = 'connected' AND token_expires_at IS NOT NULL;
CREATE INDEX connections_account ON connections (provider, account_id) WHERE status <> 'disconnected';
-- hubctl vault reencrypt walks the rows sealed under an old key.
CREATE INDEX connections_credential_key ON connections (credential_key_id) WHERE credential_key_id IS NOT NULL;

CREATE TABLE connection_status_history (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connection_id uuid        NOT NULL REFERENCES connections (id),
    org_id        uuid        NOT NULL,
    status        text        NOT NULL,
    reason        text,
    actor         text        NOT NULL,
    changed_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX connection_status_history_connection ON connection_status_history (connection_id, id DESC);
