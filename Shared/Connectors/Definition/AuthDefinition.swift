/// How an organization proves to a provider that the hub may act for it.
public enum AuthKind: String, Codable, Sendable, Hashable {
    /// OAuth 2.0 authorization-code grant: the user is sent to the provider and comes back.
    case oauth2AuthorizationCode = "oauth2_authorization_code"
    /// OAuth 2.0 client-credentials grant: the organization enters a client id and secret.
    case oauth2ClientCredentials = "oauth2_client_credentials"
    /// A key the organization pastes in.
    case apiKey = "api_key"
    /// Plaid Link: a link token, the Link UI, then a public token exchanged for an access token.
    case plaidLink = "plaid_link"
}

/// One value a user must enter to connect (for API-key and client-credentials providers), or
/// that the operator configures (OAuth client ids).
public struct CredentialField: Codable, Sendable, Hashable {
    /// The key the value travels under in a connect request (`api_key`, `client_secret`).
    public var name: String
    /// The label a person reads.
    public var label: String
    /// Whether the value is a secret: secrets are encrypted at rest and never returned.
    public var secret: Bool
    public var required: Bool
    public var description: String?
    /// A regular expression the value must match, checked before the provider is called.
    public var pattern: String?

    public init(
        name: String,
        label: String,
        secret: Bool,
        required: Bool = true,
        description: String? = nil,
        pattern: String? = nil
    ) {
        self.name = name
        self.label = label
        self.secret = secret
        self.required = required
        self.description = description
        self.pattern = pattern
    }
}

/// The provider's OAuth 2.0 facts, at their production addresses. Base URLs are overridden per
/// environment by configuration, so the same definition serves the sandbox.
public struct OAuthDefinition: Codable, Sendable, Hashable {
    enum CodingKeys: String, CodingKey {
        case authorizeURL = "authorize_url"
        case tokenURL = "token_url"
        case revokeURL = "revoke_url"
        case scopes
        case supportsPKCE = "supports_pkce"
        case rotatesRefreshToken = "rotates_refresh_token"
        case accessTokenLifetime = "access_token_lifetime"
    }

    /// The authorization endpoint. May contain `{shop}` for providers whose host is per account.
    public var authorizeURL: String
    public var tokenURL: String
    public var revokeURL: String?
    public var scopes: [String]
    /// Whether the provider accepts PKCE (S256); the hub then always sends it.
    public var supportsPKCE: Bool
    /// Whether each refresh returns a new refresh token and invalidates the old one.
    public var rotatesRefreshToken: Bool
    /// Typical access-token lifetime in seconds, or nil when tokens do not expire.
    public var accessTokenLifetime: Int?

    public init(
        authorizeURL: String,
        tokenURL: String,
        revokeURL: String? = nil,
        scopes: [String],
        supportsPKCE: Bool,
        rotatesRefreshToken: Bool,
        accessTokenLifetime: Int?
    ) {
        self.authorizeURL = authorizeURL
        self.tokenURL = tokenURL
        self.revokeURL = revokeURL
        self.scopes = scopes
        self.supportsPKCE = supportsPKCE
        self.rotatesRefreshToken = rotatesRefreshToken
        self.accessTokenLifetime = accessTokenLifetime
    }
}

/// Everything the catalog says about connecting to a provider.
public struct AuthDefinition: Codable, Sendable, Hashable {
    enum CodingKeys: String, CodingKey {
        case kind
        case credentialFields = "credential_fields"
        case oauth
        case tokenURL = "token_url"
    }

    public var kind: AuthKind
    /// What the user enters (API key, client credentials) or, for OAuth, what they are asked for
    /// besides the redirect (Shopify's shop domain).
    public var credentialFields: [CredentialField]
    public var oauth: OAuthDefinition?
    /// The token endpoint of the OAuth 2.0 client-credentials grant (`oauth2_client_credentials`,
    /// e.g. PayPal): where the organization's client id and secret are traded for a bearer token.
    /// Nil for every other kind; the authorization-code grant keeps its endpoints in `oauth`.
    public var tokenURL: String?

    public init(
        kind: AuthKind,
        credentialFields: [CredentialField] = [],
        oauth: OAuthDefinition? = nil,
        tokenURL: String? = nil
    ) {
        self.kind = kind
        self.credentialFields = credentialFields
        self.oauth = oauth
        self.tokenURL = tokenURL
    }
}
