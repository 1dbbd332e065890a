/// Zapier: the hub is the app Zapier connects to, not an API the hub pulls from.
///
/// Connecting issues an API key *from the hub* (the organization pastes it into Zapier; nothing is
/// entered here, so there are no credential fields). Zapier then authenticates to the hub with that
/// key, subscribes to hub events with REST hooks (subscribe with a `hookUrl`, unsubscribe when a Zap
/// is turned off, and a `410 Gone` from a `hookUrl` also unsubscribes) which the outbound webhook
/// machinery delivers, and calls the hub's API for actions. Zapier holds no records for the hub to
/// sync and sends it no webhooks, so the definition has no entities and no webhook events.
public struct ZapierConnector: Connector {
    /// The catalog entry for Zapier.
    public static let definition = ProviderDefinition(
        id: "zapier",
        displayName: "Zapier",
        category: .automation,
        description: "Use your accounting data in thousands of apps through Zapier. Connecting issues an "
            + "API key from the hub for Zapier to use; Zaps then subscribe to hub events (invoice.paid, "
            + "customer.created, …) with REST hooks and run actions through the hub's API.",
        docsURL: "https://docs.zapier.com/platform/build/hook-trigger",
        auth: AuthDefinition(kind: .apiKey),
        capabilities: [.apiKey],
        entities: [],
        webhookEvents: []
    )
}
