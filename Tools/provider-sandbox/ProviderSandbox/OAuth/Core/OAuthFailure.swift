import Hummingbird

/// Why an emulated authorization server refused a request, in provider-neutral terms. The engine
/// throws it; `OAuthFailure+Rendering.swift` turns it into each provider's own status and body,
/// the one place where error shapes live.
public struct OAuthFailure: Error, Sendable, Equatable {
    public enum Reason: Error, Sendable, Equatable {
        case missingParameter(String)
        case unsupportedResponseType(String)
        case unknownClient
        case badClientSecret
        case unsupportedGrantType(String)
        case unknownCode
        case usedCode
        case expiredCode
        case codeIssuedToAnotherClient
        /// The exchange's `redirect_uri` differs from the authorize request's.
        case redirectURIMismatch
        /// The authorize request's `redirect_uri` is not registered for the client.
        case unregisteredRedirectURI
        case missingCodeVerifier
        case wrongCodeVerifier
        case unsupportedChallengeMethod(String)
        case unknownRefreshToken
        case revokedRefreshToken
        case expiredRefreshToken
        case reusedRefreshToken
        case invalidScope(String)
        /// A token presented for revocation or inspection that is unknown, expired or revoked.
        case unknownToken
        case invalidShopDomain(String)
        case unknownShop(String)
    }

    public var reason: Reason
    public var dialect: OAuthDialect
    /// Authorize-endpoint failures that cannot be redirected are shown to the user as a page;
    /// token-endpoint failures are machine-readable.
    public var atAuthorize: Bool

    public init(_ reason: Reason, dialect: OAuthDialect, atAuthorize: Bool = false) {
        self.reason = reason
        self.dialect = dialect
        self.atAuthorize = atAuthorize
    }

    /// The refusal for a refresh token the store would not redeem.
    static func refresh(_ refusal: SandboxTokenStore.Refusal, dialect: OAuthDialect) -> OAuthFailure {
        switch refusal {
        case .unknown, .otherClient: OAuthFailure(.unknownRefreshToken, dialect: dialect)
        case .revoked: OAuthFailure(.revokedRefreshToken, dialect: dialect)
        case .expired: OAuthFailure(.expiredRefreshToken, dialect: dialect)
        case .reused: OAuthFailure(.reusedRefreshToken, dialect: dialect)
        }
    }
}
