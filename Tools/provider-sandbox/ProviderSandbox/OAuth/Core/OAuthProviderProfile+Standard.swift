import Foundation

/// The seven emulated authorization servers. Lifetimes, rotation, reuse grace and PKCE mirror the
/// providers' documentation and the hub's definitions (`Shared/Connectors/*/…Connector.swift`);
/// where a provider's leniency is undocumented or varies (Intuit handing back the same refresh
/// token), the default is the strict reading. Tests that need strict rotation where the provider
/// has a grace say so with `refresh_grace_seconds: 0`.
extension OAuthProviderProfile {
    /// Intuit: 1 h access tokens; refresh tokens rotate, ~101 days (`x_refresh_token_expires_in`
    /// 8726400). Intuit may hand back the same refresh token for ~24 h; the sandbox always rotates,
    /// the strictest reading, so a client that keeps an old token fails here first.
    public static let quickbooks: OAuthProviderProfile = {
        var profile = OAuthProviderProfile(
            id: "quickbooks",
            dialect: .quickbooks,
            accessTokenLifetime: 3600,
            refreshTokenLifetime: 8_726_400,
            rotation: .rotate(graceSeconds: 0, retiredBySuccessor: false),
            accessTokenPrefix: "eyJlbmMiOiJBMTI4Q0JDLUhTMjU2In0.",
            refreshTokenPrefix: "AB11",
            isKnownScope: {
                ["com.intuit.quickbooks.accounting", "com.intuit.quickbooks.payment", "openid", "profile", "email", "phone", "address"]
                    .contains($0)
            },
            makeAccount: { generator in
                let realm = "9" + (0..<15).map { _ in String(generator.next() % 10) }.joined()
                return SandboxOAuthAccount(id: realm, name: "Sandbox Company_US_1", userID: "sandbox-user")
            }
        )
        profile.codeLifetime = 300
        return profile
    }()

    /// Xero: 30 min access tokens; refresh tokens (only with `offline_access`) last 60 days unused and
    /// rotate on every use. As Xero documents, the used refresh token may be retried for a grace
    /// period of 30 minutes after its first use (for a client that lost the answer); using its
    /// replacement does not end that grace here. Set `refresh_grace_seconds` to 0 for strict
    /// rotation. PKCE with S256.
    public static let xero: OAuthProviderProfile = {
        var profile = OAuthProviderProfile(
            id: "xero",
            dialect: .xero,
            accessTokenLifetime: 1800,
            refreshTokenLifetime: 5_184_000,
            rotation: .rotate(graceSeconds: 1800, retiredBySuccessor: false),
            accessTokenPrefix: "eyJhbGciOiJSUzI1NiIsImtpZCI6Inhlcm8tc2FuZGJveCJ9.",
            refreshTokenPrefix: "",
            isKnownScope: { scope in
                [
                    "offline_access", "openid", "profile", "email", "files", "files.read", "assets", "assets.read", "projects",
                    "projects.read", "app.connections", "bankfeeds", "marketplace.billing",
                ].contains(scope)
                    || ["accounting.", "payroll.", "finance."].contains { scope.hasPrefix($0) && scope.count > $0.count }
            },
            makeAccount: { generator in
                SandboxOAuthAccount(
                    id: uuid(&generator),
                    name: "Demo Company (Global)",
                    userID: uuid(&generator),
                    details: ["connection_id": uuid(&generator), "tenant_type": "ORGANISATION"]
                )
            }
        )
        profile.refreshTokenScopes = ["offline_access"]
        profile.pkceMethods = ["S256"]
        profile.pkceDefaultMethod = "S256"
        profile.codeLifetime = 300
        return profile
    }()

    /// Salesforce web server flow: no `expires_in` (the session timeout, 2 h by default, is kept
    /// here so tokens still expire); refresh tokens only with `refresh_token`/`offline_access`, not
    /// rotated unless the connected app turns rotation on (`rotate_refresh_tokens`). PKCE (S256, the
    /// only method Salesforce takes, implied when no method is sent). Revoking an access token ends
    /// that session only; revoking a refresh token ends the grant.
    public static let salesforce: OAuthProviderProfile = {
        var profile = OAuthProviderProfile(
            id: "salesforce",
            dialect: .salesforce,
            accessTokenLifetime: 7200,
            refreshTokenLifetime: nil,
            rotation: .none,
            accessTokenPrefix: "{account}!AQ",
            refreshTokenPrefix: "5Aep861",
            isKnownScope: {
                [
                    "api", "refresh_token", "offline_access", "id", "profile", "email", "address", "phone", "openid", "full", "web",
                    "chatter_api", "visualforce", "custom_permissions", "wave_api", "eclair_api", "pardot_api", "lightning", "content",
                    "cdp_query_api", "cdp_profile_api", "cdp_ingest_api", "interaction_api", "forgot_password", "sfap_api",
                ].contains($0)
            },
            makeAccount: { generator in
                SandboxOAuthAccount(
                    id: "00D" + generator.token(15),
                    name: "Hub Sandbox Org",
                    userID: "005" + generator.token(15),
                    details: ["username": "sandbox.user@hub-sandbox.example.com"]
                )
            }
        )
        profile.refreshTokenScopes = ["refresh_token", "offline_access"]
        profile.pkceMethods = ["S256"]
        profile.pkceDefaultMethod = "S256"
        profile.defaultScopes = ["api", "refresh_token"]
        profile.accessRevocationRevokesGrant = false
        profile.codeLifetime = 900
        return profile
    }()

    /// HubSpot: 30 min access tokens; refresh tokens never expire while the app is installed and are
    /// not rotated. Scopes are space separated.
    public static let hubspot = OAuthProviderProfile(
        id: "hubspot",
        dialect: .hubspot,
        accessTokenLifetime: 1800,
        refreshTokenLifetime: nil,
        rotation: .none,
        accessTokenPrefix: "CNDsandbox",
        refreshTokenPrefix: "na1-",
        isKnownScope: { scope in
            [
                "oauth", "content", "forms", "files", "tickets", "e-commerce", "automation", "timeline", "social", "integration-sync",
                "transactional-email", "business-intelligence", "sales-email-read", "forms-uploaded-files", "hubdb",
            ].contains(scope)
                || [
                    "crm.", "cms.", "settings.", "conversations.", "communication_preferences.", "marketing.", "media_bridge.",
                    "automation.",
                ]
                .contains { scope.hasPrefix($0) && scope.count > $0.count }
        },
        makeAccount: { generator in
            let hubID = String(10_000_000 + generator.next() % 90_000_000)
            return SandboxOAuthAccount(
                id: hubID,
                name: "hub-sandbox.hubspot.com",
                userID: String(1_000_000 + generator.next() % 9_000_000),
                details: ["user": "sandbox.user@hub-sandbox.example.com", "app_id": String(100_000 + generator.next() % 900_000)]
            )
        }
    )

    /// Slack OAuth v2 (bot tokens): tokens do not expire unless the app has token rotation on (admin
    /// `token_rotation`), then 12 h access tokens and single-use refresh tokens. Comma-separated scopes.
    public static let slack: OAuthProviderProfile = {
        var profile = OAuthProviderProfile(
            id: "slack",
            dialect: .slack,
            accessTokenLifetime: 43_200,
            refreshTokenLifetime: nil,
            rotation: .rotate(graceSeconds: 0, retiredBySuccessor: false),
            accessTokenPrefix: "xoxb-",
            refreshTokenPrefix: "xoxe-1-",
            isKnownScope: { $0.range(of: #"^[a-z][a-z_.-]*(:[a-z][a-z_.-]*)*$"#, options: .regularExpression) != nil },
            makeAccount: { generator in
                SandboxOAuthAccount(
                    id: "T" + upper(&generator, 10),
                    name: "Hub Sandbox",
                    userID: "U" + upper(&generator, 10),
                    details: [
                        "bot_user_id": "U" + upper(&generator, 10), "bot_id": "B" + upper(&generator, 10),
                        "app_id": "A" + upper(&generator, 10), "domain": "hub-sandbox",
                    ]
                )
            }
        )
        profile.scopeSeparator = ","
        profile.redirectAtExchange = .ifSent
        profile.expiringAccessTokenPrefix = "xoxe.xoxb-1-"
        return profile
    }()

    /// Shopify: offline tokens never expire unless the exchange asks for `expiring=1`; then 1 h access
    /// tokens and 90-day refresh tokens that rotate. A used refresh token stays redeemable until its
    /// replacement is used (at most 30 days), as Shopify has done since August 2026; set
    /// `refresh_grace_seconds` to 0 for strict rotation. No PKCE; comma-separated scopes.
    public static let shopify: OAuthProviderProfile = {
        var profile = OAuthProviderProfile(
            id: "shopify",
            dialect: .shopify,
            accessTokenLifetime: 3600,
            refreshTokenLifetime: 7_776_000,
            rotation: .rotate(graceSeconds: 2_592_000, retiredBySuccessor: true),
            accessTokenPrefix: "shpat_",
            refreshTokenPrefix: "shprt_",
            isKnownScope: { $0.range(of: #"^(unauthenticated_)?(read|write)_[a-z_]+$"#, options: .regularExpression) != nil },
            makeAccount: { _ in SandboxOAuthAccount(id: "", name: "") }
        )
        profile.scopeSeparator = ","
        profile.redirectAtExchange = .notSent
        return profile
    }()

    /// PayPal client credentials: ~9 h bearer tokens, no refresh tokens; a terminated token ends alone.
    public static let paypal: OAuthProviderProfile = {
        var profile = OAuthProviderProfile(
            id: "paypal",
            dialect: .paypal,
            accessTokenLifetime: 32_400,
            refreshTokenLifetime: nil,
            rotation: .none,
            accessTokenPrefix: "A21AA",
            refreshTokenPrefix: "",
            isKnownScope: { $0.hasPrefix("https://uri.paypal.com/services/") || $0 == "openid" },
            makeAccount: { generator in
                SandboxOAuthAccount(id: "APP-" + upper(&generator, 17), name: "Hub Sandbox REST app")
            }
        )
        profile.defaultScopes = [
            "https://uri.paypal.com/services/invoicing", "https://uri.paypal.com/services/payments/payment",
            "https://uri.paypal.com/services/reporting/search/read", "https://uri.paypal.com/services/payments/refund",
        ]
        profile.accessRevocationRevokesGrant = false
        return profile
    }()

    /// The seven, by provider id.
    public static let standard: [String: OAuthProviderProfile] = Dictionary(
        uniqueKeysWithValues: [quickbooks, xero, salesforce, hubspot, slack, shopify, paypal].map { ($0.id, $0) }
    )

    private static func uuid(_ generator: inout SeededGenerator) -> String {
        let hex = (0..<32).map { _ in String(generator.next() % 16, radix: 16) }.joined()
        let parts = [
            hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20),
        ]
        return parts.joined(separator: "-")
    }

    private static func upper(_ generator: inout SeededGenerator, _ length: Int) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }
}
