/// Run-time settings of one emulated authorization server, set with
/// `PUT /_admin/<provider>/oauth` (the body replaces the settings; absent keys fall back to the
/// provider's own behaviour). They exist so tests can reach the rare paths quickly: a 5-second
/// access token, an already-expired code, strict rotation without Xero's or Shopify's reuse grace,
/// a user who refuses consent.
public struct OAuthSettings: Codable, Sendable, Equatable {
    enum CodingKeys: String, CodingKey {
        case accessTokenTTLSeconds = "access_token_ttl_seconds"
        case refreshTokenTTLSeconds = "refresh_token_ttl_seconds"
        case codeTTLSeconds = "code_ttl_seconds"
        case refreshGraceSeconds = "refresh_grace_seconds"
        case rotateRefreshTokens = "rotate_refresh_tokens"
        case tokenRotation = "token_rotation"
        case denyNext = "deny_next"
        case additionalAccounts = "additional_accounts"
    }

    /// Lifetime of access tokens issued from now on (for providers whose tokens expire).
    public var accessTokenTTLSeconds: Int?
    /// Lifetime of refresh tokens issued from now on.
    public var refreshTokenTTLSeconds: Int?
    /// Lifetime of authorization codes issued from now on; 0 makes every new code already expired.
    public var codeTTLSeconds: Int?
    /// How long a rotated-out refresh token may still be redeemed (Xero's default 1800, Shopify's
    /// 30 days, 0 elsewhere); 0 makes rotation strict.
    public var refreshGraceSeconds: Int?
    /// Forces refresh-token rotation on or off (Salesforce's connected-app option).
    public var rotateRefreshTokens: Bool?
    /// Slack's per-app token rotation: expiring bot tokens with refresh tokens.
    public var tokenRotation: Bool?
    /// The next N authorizations are refused by the "user" (`error=access_denied`).
    public var denyNext: Int = 0
    /// Accounts the next consents reach besides the server's own: the user ticks several
    /// organisations on Xero's consent screen.
    public var additionalAccounts: [SandboxOAuthAccount]?

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        accessTokenTTLSeconds = try container.decodeIfPresent(Int.self, forKey: .accessTokenTTLSeconds)
        refreshTokenTTLSeconds = try container.decodeIfPresent(Int.self, forKey: .refreshTokenTTLSeconds)
        codeTTLSeconds = try container.decodeIfPresent(Int.self, forKey: .codeTTLSeconds)
        refreshGraceSeconds = try container.decodeIfPresent(Int.self, forKey: .refreshGraceSeconds)
        rotateRefreshTokens = try container.decodeIfPresent(Bool.self, forKey: .rotateRefreshTokens)
        tokenRotation = try container.decodeIfPresent(Bool.self, forKey: .tokenRotation)
        denyNext = try container.decodeIfPresent(Int.self, forKey: .denyNext) ?? 0
        additionalAccounts = try container.decodeIfPresent([SandboxOAuthAccount].self, forKey: .additionalAccounts)
    }

    /// The rotation rule in force: the profile's, adjusted by the overrides.
    func rotation(for profile: OAuthProviderProfile) -> OAuthProviderProfile.RefreshRotation {
        var rotation = profile.rotation
        if let rotate = rotateRefreshTokens {
            rotation = rotate ? (rotation == .none ? .rotate(graceSeconds: 0, retiredBySuccessor: false) : rotation) : .none
        }
        if let grace = refreshGraceSeconds, case .rotate(_, let retiredBySuccessor) = rotation {
            rotation = .rotate(graceSeconds: max(0, grace), retiredBySuccessor: retiredBySuccessor)
        }
        return rotation
    }
}
