import HubConnectors
import ProviderSandbox
import Testing

/// The sandbox against the hub's own definitions: every URL a definition names must map to an
/// emulated endpoint, every scope it asks for must exist, and lifetimes, rotation and PKCE agree.
@Suite struct OAuthEndpointDefinitionsTests {
    static let oauthProviders = ["quickbooks", "xero", "salesforce", "hubspot", "slack", "shopify"]

    static func sandboxPaths() -> Set<String> {
        Set(SandboxOAuthEndpoints.all.map(\.sandboxPath))
    }

    @Test(arguments: oauthProviders)
    func everyDefinitionURLHasAnEndpoint(_ id: String) throws {
        let oauth = try #require(ConnectorRegistry.standard.definition(id: id)?.auth.oauth)
        for url in [oauth.authorizeURL, oauth.tokenURL] + (oauth.revokeURL.map { [$0] } ?? []) {
            let mapped = try #require(SandboxOAuthEndpoints.sandboxURL(for: url, base: ""), "\(url) has no sandbox origin")
            #expect(mapped.hasPrefix("/\(id)/"))
            #expect(Self.sandboxPaths().contains(mapped), "\(url) maps to \(mapped), which the sandbox does not serve")
        }
    }

    @Test func payPalsTokenURLHasAnEndpoint() throws {
        let url = try #require(ConnectorRegistry.standard.definition(id: "paypal")?.auth.tokenURL)
        #expect(
            SandboxOAuthEndpoints.sandboxURL(for: url, base: "http://127.0.0.1:8090/") == "http://127.0.0.1:8090/paypal/v1/oauth2/token"
        )
    }

    @Test func queriesAndConcreteShopsMapToo() {
        #expect(
            SandboxOAuthEndpoints.sandboxURL(for: "https://hub-sandbox.myshopify.com/admin/oauth/authorize?client_id=a", base: "http://h:1")
                == "http://h:1/shopify/hub-sandbox.myshopify.com/admin/oauth/authorize?client_id=a"
        )
        #expect(SandboxOAuthEndpoints.sandboxURL(for: "https://example.com/x", base: "http://h:1") == nil)
    }

    @Test(arguments: oauthProviders)
    func definitionsAgreeWithTheEmulation(_ id: String) throws {
        let oauth = try #require(ConnectorRegistry.standard.definition(id: id)?.auth.oauth)
        let profile = try #require(OAuthProviderProfile.standard[id])
        for scope in oauth.scopes {
            #expect(profile.isKnownScope(scope), "\(id) does not know \(scope)")
        }
        #expect(oauth.supportsPKCE == !profile.pkceMethods.isEmpty, "\(id) PKCE")
        switch id {
        case "salesforce":
            // No expires_in on the wire; the sandbox keeps the default 2 h session timeout internally.
            #expect(oauth.accessTokenLifetime == nil)
        case "slack":
            // Bot tokens only expire (and rotate) with token rotation, which the hub does not enable.
            #expect(oauth.accessTokenLifetime == nil && !oauth.rotatesRefreshToken)
        default:
            #expect(oauth.accessTokenLifetime == profile.accessTokenLifetime, "\(id) access-token lifetime")
            #expect(oauth.rotatesRefreshToken == (profile.rotation != .none), "\(id) rotation")
        }
    }

    @Test func theStandardSandboxMountsTheOAuthOnlyProviders() {
        let ids = Set(StandardProviders.make(SandboxConfiguration(), webhooks: WebhookDispatcher()).map(\.id))
        #expect(ids.isSuperset(of: ["quickbooks", "xero", "salesforce", "hubspot", "slack", "paypal"]))
    }
}
