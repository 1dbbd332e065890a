/// HubSpot: contacts, companies, deals and products of one portal.
///
/// OAuth 2.0 authorization code; access tokens last 30 minutes and refresh tokens are not rotated.
/// The token endpoints are HubSpot's v3 OAuth API (every value in the form body), since the v1
/// endpoints (`/oauth/v1/token`, `/oauth/v1/access-tokens/{token}`, `/oauth/v1/refresh-tokens/{token}`)
/// are retired on 16 February 2027: `POST /oauth/v3/token`, `POST /oauth/v3/token/introspect`
/// (names the portal, `hub_id`, and says whether a token is `active`) and
/// `POST /oauth/v3/token/revoke` with the refresh token. CRM records put their values under
/// `properties`, so field names are dotted paths (`properties.email`) beside the top-level `id`,
/// `createdAt`, `updatedAt` and `archived`; amounts are decimal strings. Reads are incremental
/// through the search endpoint filtered on `lastmodifieddate` (contacts) or `hs_lastmodifieddate`
/// (other objects), 10,000 results per query.
/// Webhook events are v3-signed `subscriptionType` values (`contact.creation`).
public struct HubSpotConnector: Connector {
    /// The credential, base URL, transport and client registration of one connection.
    let context: ConnectorContext

    public init(context: ConnectorContext) {
        self.context = context
    }

    /// The catalog entry for HubSpot.
    public static let definition = ProviderDefinition(
        id: "hubspot",
        displayName: "HubSpot",
        category: .crm,
        description: "Sync contacts, companies, deals and products with HubSpot CRM in both directions, "
            + "with changes arriving through HubSpot's webhooks.",
        docsURL: "https://developers.hubspot.com/docs/api/overview",
        auth: AuthDefinition(
            kind: .oauth2AuthorizationCode,
            oauth: OAuthDefinition(
                authorizeURL: "https://app.hubspot.com/oauth/authorize",
                tokenURL: "https://api.hubapi.com/oauth/v3/token",
                revokeURL: "https://api.hubapi.com/oauth/v3/token/revoke",
                scopes: [
                    "oauth",
                    "crm.objects.contacts.read", "crm.objects.contacts.write",
                    "crm.objects.companies.read", "crm.objects.companies.write",
                    "crm.objects.deals.read", "crm.objects.deals.write",
                    "crm.objects.products.read", "crm.objects.products.write",
                ],
                supportsPKCE: false,
                rotatesRefreshToken: false,
                accessTokenLifetime: 1800
            )
        ),
        capabilities: [.oauth, .webhooks, .sync, .push, .realtime],
        entities: HubSpotEntities.all,
        webhookEvents: [
            "contact.creation", "contact.propertyChange", "contact.deletion", "contact.merge", "contact.restore",
            "company.creation", "company.propertyChange", "company.deletion", "company.merge", "company.restore",
            "deal.creation", "deal.propertyChange", "deal.deletion", "deal.merge", "deal.restore",
            "product.creation", "product.propertyChange", "product.deletion", "product.restore",
        ]
    )
}
