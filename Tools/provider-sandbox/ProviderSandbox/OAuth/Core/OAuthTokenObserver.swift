/// Told about access tokens as they are issued and as they stop being valid (revoked, expired by
/// the admin API, forgotten by a reset), so a data API that keeps its own token table — Shopify's
/// `ShopifyTokenRegistry` — stays in step with the authorization server. Natural expiry is not
/// announced: such a table must check `expiresAt` itself (the registry records the issued expiry).
public struct OAuthTokenObserver: Sendable {
    public var issued: @Sendable (TokenInfo) -> Void
    public var ended: @Sendable (TokenInfo) -> Void

    public init(issued: @escaping @Sendable (TokenInfo) -> Void, ended: @escaping @Sendable (TokenInfo) -> Void) {
        self.issued = issued
        self.ended = ended
    }
}
