/// Counters of one emulated authorization server, served at `GET /_admin/<provider>/oauth/stats`.
/// They count what the sandbox *accepted* or *refused*, so a test can say "exactly one refresh
/// reached the provider" or "the old refresh token was never presented again".
public struct OAuthStats: Codable, Sendable, Equatable {
    enum CodingKeys: String, CodingKey {
        case authorizations
        case denials
        case codeExchanges = "code_exchanges"
        case refreshes
        case refreshReuseRejected = "refresh_reuse_rejected"
        case refreshReuseAccepted = "refresh_reuse_accepted"
        case clientCredentialsGrants = "client_credentials_grants"
        case tokenErrors = "token_errors"
        case revocations
        case tokensActive = "tokens_active"
    }

    /// Authorize requests answered with a code.
    public var authorizations = 0
    /// Authorize requests the user refused (`access_denied`).
    public var denials = 0
    /// Codes exchanged for tokens.
    public var codeExchanges = 0
    /// Refresh grants that issued tokens (including reuses within a grace period).
    public var refreshes = 0
    /// Refresh grants refused because the refresh token had already been rotated out.
    public var refreshReuseRejected = 0
    /// Refresh grants that presented an already-rotated token and were let through by a grace period.
    public var refreshReuseAccepted = 0
    /// Client-credentials grants answered with a token (PayPal).
    public var clientCredentialsGrants = 0
    /// Token and revocation requests refused (bad client, code, verifier or refresh token).
    public var tokenErrors = 0
    /// Revocation requests that revoked something.
    public var revocations = 0
    /// Access tokens currently valid (issued, unexpired, unrevoked); computed when read.
    public var tokensActive = 0

    public init() {}
}
