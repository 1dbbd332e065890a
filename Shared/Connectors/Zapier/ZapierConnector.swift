/// Zapier: the hub is the app Zapier connects to, not an API the hub pulls from.
///
/// The organization creates an API key *in the hub* (`POST /api/v1/integrations/zapier/keys`, shown
/// once, stored hashed) and pastes it into Zapier; nothing is entered here, so there are no
/// credential fields. Zapier tests the key with `GET …/zapier/me`, subscribes REST hooks to hub
/// events (`POST …/zapier/hooks` with its `target_url`; `DELETE …/zapier/hooks/{id}` when a Zap is
/// turned off; a `410 Gone` from the hook URL also removes it), which the outbound webhook
/// machinery delivers durably and signed; polls `GET …/zapier/triggers/{event_type}` for sample data;
/// and writes canonical records through `POST …/zapier/actions/{entity}`, which the connection's
/// push sync sends to its provider. Zapier holds no records for the hub to sync and sends it no
/// webhooks, so the definition has no entities and no webhook events. See docs/zapier.md.
public struct ZapierConnector: Connector {
    /// The catalog entry for Zapier.
    public static let definition = ProviderDefinition(
        id: "zapier",
        displayName: "Zapier",
        category: .automation,
        description: "Use your accounting data in thousands of apps through Zapier. Create an "
            + "API key from the hub (shown once) and paste it into the Zapier app. Zaps then "
            + "subscribe to hub events (invoice.paid, customer.created, …) with REST hooks, delivered "
            + "durably and signed; turning a Zap off unsubscribes it. Actions create or update customers, "
            + "invoices or any record of a connection, idempotently, and your sync pushes them to the provider.",
        docsURL: "https://docs.zapier.com/platform/build/hook-trigger",
        auth: AuthDefinition(kind: .apiKey),
        capabilities: [.apiKey],
        entities: [],
        webhookEvents: []
    )
}
