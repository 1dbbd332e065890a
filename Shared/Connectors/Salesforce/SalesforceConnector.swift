/// Salesforce: accounts, contacts, opportunities (with their line items), products and orders of
/// one org.
///
/// OAuth 2.0 web server flow with PKCE. The token response carries `instance_url`, the base of
/// every API call (`{instance_url}/services/data/{apiVersion}/…`), and no `expires_in`: an access
/// token lives as long as the org's session timeout, so the hub refreshes on `401
/// INVALID_SESSION_ID`. Refresh tokens do not rotate unless the connected app turns rotation on.
/// Field names are Salesforce's own (`Name`, `AccountId`); amounts are decimals. Reads are SOQL
/// queries, incremental on `SystemModstamp`, deletions from `/sobjects/{type}/deleted`; writes go
/// through sObject Collections, creates as upserts on `Hub_External_Id__c`. A used-up daily API
/// allowance (`403 REQUEST_LIMIT_EXCEEDED`) pauses the connection. Salesforce sends no
/// HMAC-signed webhooks (only SOAP outbound messages and Pub/Sub events), so the hub polls and
/// the definition lists no webhook events.
public struct SalesforceConnector: Connector {
    /// The credential, base URL, transport and client registration of one connection.
    let context: ConnectorContext

    public init(context: ConnectorContext) {
        self.context = context
    }

    /// The catalog entry for Salesforce.
    public static let definition = ProviderDefinition(
        id: "salesforce",
        displayName: "Salesforce",
        category: .crm,
        description: "Sync accounts, contacts, opportunities, products and orders with Salesforce CRM in "
            + "both directions, picking up changes on a schedule.",
        docsURL: "https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_rest.htm",
        auth: AuthDefinition(
            kind: .oauth2AuthorizationCode,
            oauth: OAuthDefinition(
                authorizeURL: "https://login.salesforce.com/services/oauth2/authorize",
                tokenURL: "https://login.salesforce.com/services/oauth2/token",
                revokeURL: "https://login.salesforce.com/services/oauth2/revoke",
                scopes: ["api", "refresh_token"],
                supportsPKCE: true,
                rotatesRefreshToken: false,
                accessTokenLifetime: nil
            )
        ),
        capabilities: [.oauth, .sync, .push],
        entities: SalesforceEntities.all,
        webhookEvents: []
    )
}
