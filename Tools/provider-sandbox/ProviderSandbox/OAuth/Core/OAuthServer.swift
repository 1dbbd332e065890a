import Foundation
import Synchronization

/// The engine of one emulated authorization server: its registered clients, codes, settings and
/// counters, issuing into the shared `SandboxTokenStore`. The provider route types
/// (`QuickBooksOAuthRoutes`, …) only translate their provider's wire format to and from it, so
/// every provider gets the same strictness: single-use bound codes, PKCE, atomic rotation.
public final class OAuthServer: Sendable {
    public let profile: OAuthProviderProfile
    /// Where issued tokens are recorded; shared by all servers and the data APIs.
    public let tokens: SandboxTokenStore
    let codes = AuthorizationCodeStore()
    /// Told about issued and ended access tokens.
    let observer: OAuthTokenObserver?

    private struct State {
        var clients: [String: SandboxOAuthClient]
        var settings = OAuthSettings()
        var stats = OAuthStats()
        var account: SandboxOAuthAccount
    }

    private let state: Mutex<State>

    /// - Parameters:
    ///   - clients: the apps registered at start (more can be added through the admin API).
    ///   - seed: derives the account the sandbox's user connects, so its ids are stable per seed.
    ///   - observer: keeps a data API's own token table in step (Shopify).
    public init(
        profile: OAuthProviderProfile,
        clients: [SandboxOAuthClient],
        seed: UInt64,
        tokens: SandboxTokenStore,
        observer: OAuthTokenObserver? = nil
    ) {
        self.profile = profile
        self.tokens = tokens
        self.observer = observer
        var generator = SeededGenerator(seed: seed ^ Self.stableHash(profile.id))
        let account = profile.makeAccount(&generator)
        state = Mutex(State(clients: Dictionary(clients.map { ($0.id, $0) }, uniquingKeysWith: { $1 }), account: account))
    }

    // MARK: Clients, settings, counters

    /// The account every authorization grants (Shopify's comes from the request's shop instead).
    public var account: SandboxOAuthAccount { state.withLock { $0.account } }

    /// Registers (or replaces) a client.
    public func register(_ client: SandboxOAuthClient) {
        state.withLock { $0.clients[client.id] = client }
    }

    public func client(id: String) -> SandboxOAuthClient? {
        state.withLock { $0.clients[id] }
    }

    public var clientIDs: [String] { state.withLock { $0.clients.keys.sorted() } }

    public var settings: OAuthSettings { state.withLock { $0.settings } }

    public func replaceSettings(_ settings: OAuthSettings) {
        state.withLock { $0.settings = settings }
    }

    /// The counters, with `tokens_active` computed now.
    public func stats(at now: Date = Date()) -> OAuthStats {
        var stats = state.withLock { $0.stats }
        stats.tokensActive = tokens.activeAccessTokenCount(provider: profile.id, at: now)
        return stats
    }

    public func resetStats() {
        state.withLock { $0.stats = OAuthStats() }
    }

    /// Forgets codes, tokens, counters and settings (clients stay registered).
    public func reset() {
        if let observer {
            for info in tokens.tokens(provider: profile.id) where info.kind == .access { observer.ended(info) }
        }
        codes.reset(provider: profile.id)
        tokens.reset(provider: profile.id)
        state.withLock {
            $0.settings = OAuthSettings()
            $0.stats = OAuthStats()
        }
    }

    /// Applies `change` to the counters.
    func count(_ change: (inout OAuthStats) -> Void) {
        state.withLock { change(&$0.stats) }
    }

    /// Consumes one pending "deny next" from the settings; true when this authorization is refused.
    func takeDenial() -> Bool {
        state.withLock { state in
            guard state.settings.denyNext > 0 else { return false }
            state.settings.denyNext -= 1
            return true
        }
    }

    // MARK: Client authentication

    /// The registered client the credentials name, when the secret matches. `allowPublic` accepts a
    /// request without a secret (a PKCE public client, whose code or grant proves the rest).
    func authenticate(_ presented: PresentedClient, allowPublic: Bool = false) throws(OAuthFailure) -> SandboxOAuthClient {
        guard let id = presented.id, let client = client(id: id) else { throw failure(.unknownClient) }
        if presented.secret == nil && allowPublic { return client }
        guard client.secretMatches(presented.secret) else { throw failure(.badClientSecret) }
        return client
    }

    /// Token lifetimes for an issue now: the profile's, overridden by the settings. Non-expiring
    /// issues (Shopify without `expiring=1`, Slack without rotation) get neither expiry nor refresh.
    func lifetimes(expiring: Bool, scopes: [String]) -> SandboxTokenStore.Lifetimes {
        guard expiring else { return .init(access: nil, refresh: nil, issueRefresh: false) }
        let settings = settings
        let issueRefresh = profile.refreshTokenScopes.map { !$0.isDisjoint(with: scopes) } ?? true
        return .init(
            access: settings.accessTokenTTLSeconds ?? profile.accessTokenLifetime,
            refresh: settings.refreshTokenTTLSeconds ?? profile.refreshTokenLifetime,
            issueRefresh: issueRefresh
        )
    }

    /// FNV-1a, so each provider's account derives from the seed the same way on every run.
    private static func stableHash(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}
