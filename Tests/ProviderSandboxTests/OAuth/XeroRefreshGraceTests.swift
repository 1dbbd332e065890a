import Foundation
import Testing

@testable import ProviderSandbox

/// Xero's refresh-token grace on the token store's clock: a used refresh token may be retried for
/// 30 minutes after its first use (Xero's FAQ, "What do I do if a token refresh fails?"), then
/// never again; `refresh_grace_seconds: 0` makes rotation strict.
@Suite struct XeroRefreshGraceTests {
    static let start = Date(timeIntervalSince1970: 1_900_000_000)

    /// A token store with one Xero grant; returns it and the grant's first refresh token.
    static func grant() throws -> (SandboxTokenStore, String) {
        let store = SandboxTokenStore()
        let grant = store.startGrant(
            provider: "xero",
            clientID: "xero-app",
            account: SandboxOAuthAccount(id: "tenant", name: "Demo Company"),
            scopes: ["offline_access", "accounting.contacts"]
        )
        let issued = store.issue(grantID: grant, profile: .xero, lifetimes: lifetimes, now: start)
        return (store, try #require(issued?.refresh?.value))
    }

    static let lifetimes = SandboxTokenStore.Lifetimes(access: 1800, refresh: 5_184_000, issueRefresh: true)

    /// Redeems `token` `seconds` after `start` under `settings`; the new refresh token, or the refusal.
    static func redeem(
        _ store: SandboxTokenStore,
        _ token: String,
        at seconds: TimeInterval,
        settings: OAuthSettings = OAuthSettings()
    ) -> (refresh: String?, reused: Bool, refusal: SandboxTokenStore.Refusal?) {
        let outcome = store.redeemRefresh(
            provider: "xero",
            value: token,
            clientID: "xero-app",
            profile: .xero,
            rotation: settings.rotation(for: .xero),
            lifetimes: lifetimes,
            now: start.addingTimeInterval(seconds)
        )
        switch outcome {
        case .issued(let issued, let reused): return (issued.refresh?.value, reused, nil)
        case .refused(let refusal): return (nil, false, refusal)
        }
    }

    @Test func theProfileDefaultsToXerosThirtyMinutes() {
        #expect(OAuthProviderProfile.xero.rotation == .rotate(graceSeconds: 1800, retiredBySuccessor: false))
        #expect(OAuthSettings().rotation(for: .xero) == .rotate(graceSeconds: 1800, retiredBySuccessor: false))
    }

    @Test func theUsedTokenMayBeRetriedForThirtyMinutesFromItsFirstUse() throws {
        let (store, original) = try Self.grant()
        let first = Self.redeem(store, original, at: 60)
        let successor = try #require(first.refresh)
        #expect(first.reused == false)

        let retry = Self.redeem(store, original, at: 60 + 1799)
        #expect(retry.refusal == nil && retry.reused, "29:59 after the first use")
        #expect(retry.refresh != successor, "a retry gets tokens of its own")
        #expect(Self.redeem(store, successor, at: 600).refusal == nil, "using the replacement does not end the grace")
        #expect(Self.redeem(store, original, at: 60 + 1799.5).reused, "still within the grace")

        #expect(Self.redeem(store, original, at: 60 + 1800).refusal == .reused, "30:00 after the first use")
        #expect(Self.redeem(store, original, at: 60 + 86_400).refusal == .reused)
    }

    @Test func aGraceOfZeroMakesRotationStrict() throws {
        let (store, original) = try Self.grant()
        var strict = OAuthSettings()
        strict.refreshGraceSeconds = 0
        #expect(Self.redeem(store, original, at: 60, settings: strict).refresh != nil)
        #expect(Self.redeem(store, original, at: 60, settings: strict).refusal == .reused, "not even at the same instant")
    }
}
