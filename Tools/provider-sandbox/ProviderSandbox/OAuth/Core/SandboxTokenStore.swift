import Foundation
import Synchronization

/// Every token the emulated authorization servers issued, shared by all of them and by the data
/// APIs that must accept those tokens (`validate(provider:accessToken:)`).
///
/// Each operation runs under one lock, so redeeming a refresh token is atomic: of any number of
/// concurrent refreshes with the same rotating token, exactly one succeeds. That strictness is the
/// point — a client that refreshes twice in parallel loses its grant here as it would at the
/// provider, instead of passing tests by luck.
public final class SandboxTokenStore: Sendable {
    /// Lifetimes and whether to issue a refresh token, for one issue.
    struct Lifetimes: Sendable {
        var access: Int?
        var refresh: Int?
        var issueRefresh: Bool
    }

    /// Tokens issued together.
    struct Issued: Sendable {
        var access: TokenInfo
        var refresh: TokenInfo?
    }

    /// Why a refresh token was not redeemed.
    enum Refusal: Sendable, Equatable {
        case unknown, revoked, expired, reused, otherClient
    }

    enum RefreshOutcome: Sendable {
        case issued(Issued, reusedRotatedToken: Bool)
        case refused(Refusal)
    }

    private struct Record {
        var info: TokenInfo
        /// When a rotating refresh token was first redeemed.
        var rotatedAt: Date?
        /// Whether the refresh token issued in exchange for this one has itself been redeemed.
        var successorUsed = false
        /// The refresh token this one replaced.
        var predecessor: String?
    }

    private struct Grant {
        var provider: String
        var clientID: String
        var publicClient: Bool
        var account: SandboxOAuthAccount
        var scopes: [String]
        var revoked = false
    }

    private struct State {
        var tokens: [String: Record] = [:]
        var grants: [String: Grant] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    // MARK: Issuing

    /// Records a new authorization and returns its id.
    func startGrant(
        provider: String,
        clientID: String,
        publicClient: Bool = false,
        account: SandboxOAuthAccount,
        scopes: [String]
    ) -> String {
        let id = Self.randomToken(prefix: "grant_", length: 24)
        let grant = Grant(provider: provider, clientID: clientID, publicClient: publicClient, account: account, scopes: scopes)
        state.withLock { $0.grants[id] = grant }
        return id
    }

    /// Issues an access token (and a refresh token when asked) under `grantID`.
    func issue(grantID: String, profile: OAuthProviderProfile, lifetimes: Lifetimes, now: Date = Date()) -> Issued? {
        state.withLock { state in
            guard let grant = state.grants[grantID], !grant.revoked else { return nil }
            return Self.issue(&state, grantID: grantID, grant: grant, profile: profile, lifetimes: lifetimes, predecessor: nil, now: now)
        }
    }

    /// Redeems a refresh token atomically under `rotation`; see `RefreshRotation`.
    func redeemRefresh(
        provider: String,
        value: String,
        clientID: String,
        profile: OAuthProviderProfile,
        rotation: OAuthProviderProfile.RefreshRotation,
        lifetimes: Lifetimes,
        now: Date = Date()
    ) -> RefreshOutcome {
        state.withLock { state in
            guard let record = state.tokens[value], record.info.provider == provider, record.info.kind == .refresh,
                let grant = state.grants[record.info.grantID]
            else { return .refused(.unknown) }
            if record.info.revoked || grant.revoked { return .refused(.revoked) }
            if record.info.clientID != clientID { return .refused(.otherClient) }
            if record.info.isExpired(at: now) { return .refused(.expired) }
            guard case .rotate(let grace, let retiredBySuccessor) = rotation else {
                var lifetimes = lifetimes
                lifetimes.issueRefresh = false
                var issued = Self.issue(
                    &state,
                    grantID: record.info.grantID,
                    grant: grant,
                    profile: profile,
                    lifetimes: lifetimes,
                    predecessor: nil,
                    now: now
                )
                issued.refresh = record.info
                return .issued(issued, reusedRotatedToken: false)
            }
            var reused = false
            if let rotatedAt = record.rotatedAt {
                let withinGrace = now < rotatedAt.addingTimeInterval(TimeInterval(grace)) && !(retiredBySuccessor && record.successorUsed)
                guard withinGrace else { return .refused(.reused) }
                reused = true
            } else {
                state.tokens[value]?.rotatedAt = now
            }
            if let predecessor = record.predecessor { state.tokens[predecessor]?.successorUsed = true }
            var rotating = lifetimes
            rotating.issueRefresh = true
            let issued = Self.issue(
                &state,
                grantID: record.info.grantID,
                grant: grant,
                profile: profile,
                lifetimes: rotating,
                predecessor: value,
                now: now
            )
            return .issued(issued, reusedRotatedToken: reused)
        }
    }

    // MARK: Reading

    /// The access token's record when `provider` issued it and it is usable now; nil otherwise.
    /// Data APIs call this for every request they authenticate.
    public func validate(provider: String, accessToken: String, at now: Date = Date()) -> TokenInfo? {
        guard let info = lookup(provider: provider, value: accessToken), info.kind == .access, info.isUsable(at: now) else { return nil }
        return info
    }

    /// The token's record whatever its state (revoked and expired included), or nil if `provider`
    /// never issued it.
    public func lookup(provider: String, value: String) -> TokenInfo? {
        state.withLock { state in
            guard var info = state.tokens[value]?.info, info.provider == provider else { return nil }
            if state.grants[info.grantID]?.revoked == true { info.revoked = true }
            return info
        }
    }

    /// Every token `provider` issued, oldest first.
    public func tokens(provider: String) -> [TokenInfo] {
        state.withLock { state in
            state.tokens.values.filter { $0.info.provider == provider }.map { record in
                var info = record.info
                if state.grants[info.grantID]?.revoked == true { info.revoked = true }
                return info
            }
        }
        .sorted { ($0.issuedAt, $0.value) < ($1.issuedAt, $1.value) }
    }

    /// Access tokens of `provider` usable at `now`.
    func activeAccessTokenCount(provider: String, at now: Date = Date()) -> Int {
        tokens(provider: provider).count { $0.kind == .access && $0.isUsable(at: now) }
    }

    /// The newest usable access token of `clientID`'s grants (PayPal hands it out again).
    func currentAccessToken(provider: String, clientID: String, at now: Date = Date()) -> TokenInfo? {
        tokens(provider: provider).last { $0.kind == .access && $0.clientID == clientID && $0.isUsable(at: now) }
    }

    // MARK: Revoking and expiring

    /// Revokes the token, or its whole grant when `wholeGrant`. Returns whether anything that was
    /// valid got revoked.
    func revoke(provider: String, value: String, wholeGrant: Bool, now: Date = Date()) -> Bool {
        state.withLock { state in
            guard let record = state.tokens[value], record.info.provider == provider,
                let grant = state.grants[record.info.grantID], !grant.revoked
            else { return false }
            if wholeGrant {
                state.grants[record.info.grantID]?.revoked = true
                for (key, other) in state.tokens where other.info.grantID == record.info.grantID {
                    state.tokens[key]?.info.revoked = true
                }
                return true
            }
            guard !record.info.revoked else { return false }
            state.tokens[value]?.info.revoked = true
            return true
        }
    }

    /// Makes the token expire now. Returns false if `provider` never issued it.
    func expire(provider: String, value: String, now: Date = Date()) -> Bool {
        state.withLock { state in
            guard state.tokens[value]?.info.provider == provider else { return false }
            state.tokens[value]?.info.expiresAt = now
            return true
        }
    }

    /// Forgets every token and grant of `provider`.
    func reset(provider: String) {
        state.withLock { state in
            state.tokens = state.tokens.filter { $0.value.info.provider != provider }
            state.grants = state.grants.filter { $0.value.provider != provider }
        }
    }

    // MARK: Helpers

    private static func issue(
        _ state: inout State,
        grantID: String,
        grant: Grant,
        profile: OAuthProviderProfile,
        lifetimes: Lifetimes,
        predecessor: String?,
        now: Date
    ) -> Issued {
        func make(_ kind: TokenInfo.Kind, prefix: String, lifetime: Int?) -> TokenInfo {
            let prefix = prefix.replacingOccurrences(of: "{account}", with: grant.account.id)
            let info = TokenInfo(
                provider: grant.provider,
                kind: kind,
                value: randomToken(prefix: prefix, length: 48),
                clientID: grant.clientID,
                publicClient: grant.publicClient,
                grantID: grantID,
                scopes: grant.scopes,
                account: grant.account,
                issuedAt: now,
                expiresAt: lifetime.map { now.addingTimeInterval(TimeInterval($0)) },
                revoked: false
            )
            state.tokens[info.value] = Record(info: info, predecessor: kind == .refresh ? predecessor : nil)
            return info
        }
        let accessPrefix =
            lifetimes.access == nil ? profile.accessTokenPrefix : profile.expiringAccessTokenPrefix ?? profile.accessTokenPrefix
        let access = make(.access, prefix: accessPrefix, lifetime: lifetimes.access)
        let refresh = lifetimes.issueRefresh ? make(.refresh, prefix: profile.refreshTokenPrefix, lifetime: lifetimes.refresh) : nil
        return Issued(access: access, refresh: refresh)
    }

    /// An unguessable token: `prefix` and `length` random letters and digits.
    static func randomToken(prefix: String, length: Int) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        return prefix + String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }
}
