import Foundation
import HubCore

/// The facts of one provider's authorization server that the shared engine needs: lifetimes,
/// rotation, PKCE, scope syntax, how tokens look and what a revocation takes down. The seven
/// instances are in `OAuthProviderProfile+Standard.swift`; admin settings override the lifetimes
/// and the grace period at run time (`OAuthSettings`).
public struct OAuthProviderProfile: Sendable {
    /// What happens to a refresh token when it is used.
    public enum RefreshRotation: Sendable, Equatable {
        /// It stays valid and is returned again (HubSpot, Salesforce by default).
        case none
        /// A new refresh token is issued and the used one retires: redeeming it again fails with
        /// `invalid_grant` unless it is within `graceSeconds` of its first use. With
        /// `retiredBySuccessor`, the grace also ends as soon as its replacement is used (Shopify).
        case rotate(graceSeconds: Int, retiredBySuccessor: Bool)
    }

    /// Whether the code exchange must repeat the authorize request's `redirect_uri`.
    public enum RedirectAtExchange: Sendable, Equatable {
        /// Always, and it must match (RFC 6749 §4.1.3: QuickBooks, Xero, Salesforce, HubSpot).
        case required
        /// Optional, but it must match when sent (Slack).
        case ifSent
        /// The exchange carries none (Shopify).
        case notSent
    }

    public var id: String
    /// How errors are written on the wire.
    public var dialect: OAuthDialect
    /// Access-token lifetime in seconds when the token expires; nil when it never does.
    public var accessTokenLifetime: Int?
    /// Refresh-token lifetime in seconds, counted from issue (rolling with rotation); nil for none.
    public var refreshTokenLifetime: Int?
    /// How long an authorization code may wait for its exchange.
    public var codeLifetime: Int = 600
    public var rotation: RefreshRotation
    /// A refresh token is issued only when one of these scopes was granted; nil means always.
    public var refreshTokenScopes: Set<String>?
    /// PKCE methods the provider accepts; empty when it ignores PKCE parameters.
    public var pkceMethods: Set<String> = []
    /// The method assumed when `code_challenge` comes without `code_challenge_method`.
    public var pkceDefaultMethod = "plain"
    /// What joins scopes in `scope` (a space for most, a comma for Slack and Shopify).
    public var scopeSeparator: Character = " "
    /// Scopes granted when the authorize request names none; empty when `scope` is required.
    public var defaultScopes: [String] = []
    /// Whether a scope name exists at the provider.
    public var isKnownScope: @Sendable (String) -> Bool
    public var redirectAtExchange: RedirectAtExchange = .required
    /// How access and refresh tokens begin (`{account}` is replaced by the account id), so a token
    /// pasted into a log says which provider issued it.
    public var accessTokenPrefix: String
    /// The prefix of access tokens that expire, when it differs (Slack's rotating `xoxe.xoxb-1-`).
    public var expiringAccessTokenPrefix: String?
    public var refreshTokenPrefix: String
    /// Whether revoking an access (refresh) token revokes the whole grant, as an app disconnect does,
    /// or only that token.
    public var accessRevocationRevokesGrant = true
    public var refreshRevocationRevokesGrant = true
    /// The account the sandbox's one user connects, derived from the seed.
    public var makeAccount: @Sendable (inout SeededGenerator) -> SandboxOAuthAccount

    public init(
        id: String,
        dialect: OAuthDialect,
        accessTokenLifetime: Int?,
        refreshTokenLifetime: Int?,
        rotation: RefreshRotation,
        accessTokenPrefix: String,
        refreshTokenPrefix: String,
        isKnownScope: @escaping @Sendable (String) -> Bool,
        makeAccount: @escaping @Sendable (inout SeededGenerator) -> SandboxOAuthAccount
    ) {
        self.id = id
        self.dialect = dialect
        self.accessTokenLifetime = accessTokenLifetime
        self.refreshTokenLifetime = refreshTokenLifetime
        self.rotation = rotation
        self.accessTokenPrefix = accessTokenPrefix
        self.refreshTokenPrefix = refreshTokenPrefix
        self.isKnownScope = isKnownScope
        self.makeAccount = makeAccount
    }

    /// Splits a `scope` parameter on the provider's separator (tolerating spaces after commas).
    func scopes(from parameter: String?) -> [String] {
        guard let parameter else { return [] }
        return parameter.split(separator: scopeSeparator).map { $0.trimmingWhitespace() }
            .filter { !$0.isEmpty }
    }

    /// Joins scopes the way the provider writes them back in token responses.
    func scopeString(_ scopes: [String]) -> String {
        scopes.joined(separator: String(scopeSeparator))
    }
}
