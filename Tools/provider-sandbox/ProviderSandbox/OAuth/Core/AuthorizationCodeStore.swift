import Foundation
import Synchronization

/// Authorization codes waiting for their exchange. A code is single-use, expires, and is bound to
/// the client, the redirect URI, the PKCE challenge and (Shopify) the shop it was issued for;
/// redeeming checks all of that and marks it used in one step, so two concurrent exchanges of the
/// same code cannot both succeed.
final class AuthorizationCodeStore: Sendable {
    struct Code: Sendable {
        var value: String
        var provider: String
        var clientID: String
        var redirectURI: String?
        var scopes: [String]
        var account: SandboxOAuthAccount
        var codeChallenge: String?
        var codeChallengeMethod: String?
        var expiresAt: Date
        var used = false
    }

    /// What the exchange presents besides the code.
    struct Presented: Sendable {
        var clientID: String
        /// Whether `redirect_uri` was in the request, and its value.
        var redirectURI: String?
        var codeVerifier: String?
        /// The account the request's path names (Shopify's shop), if any.
        var accountID: String?
        /// A public client (no secret): only a code bound to a PKCE challenge proves it.
        var requireChallenge = false
    }

    private let codes = Mutex([String: Code]())

    /// Stores a new code and returns its value.
    func create(
        provider: String,
        clientID: String,
        redirectURI: String?,
        scopes: [String],
        account: SandboxOAuthAccount,
        challenge: String?,
        challengeMethod: String?,
        lifetime: Int,
        now: Date = Date()
    ) -> String {
        let value = SandboxTokenStore.randomToken(prefix: "", length: 32)
        let code = Code(
            value: value,
            provider: provider,
            clientID: clientID,
            redirectURI: redirectURI,
            scopes: scopes,
            account: account,
            codeChallenge: challenge,
            codeChallengeMethod: challengeMethod,
            expiresAt: now.addingTimeInterval(TimeInterval(lifetime))
        )
        codes.withLock { codes in
            // Keep long benchmark runs bounded: settled codes are dropped once there are many.
            if codes.count > 10_000 { codes = codes.filter { !$0.value.used && $0.value.expiresAt > now } }
            codes[value] = code
        }
        return value
    }

    /// Checks `presented` against the code and, if everything holds, marks it used and returns it.
    func redeem(
        _ value: String,
        provider: String,
        presented: Presented,
        redirectRule: OAuthProviderProfile.RedirectAtExchange,
        now: Date = Date()
    ) -> Result<Code, OAuthFailure.Reason> {
        codes.withLock { codes in
            guard let code = codes[value], code.provider == provider else { return .failure(.unknownCode) }
            if code.used { return .failure(.usedCode) }
            if now >= code.expiresAt { return .failure(.expiredCode) }
            if code.clientID != presented.clientID { return .failure(.codeIssuedToAnotherClient) }
            if let accountID = presented.accountID, accountID != code.account.id { return .failure(.unknownCode) }
            if presented.requireChallenge && code.codeChallenge == nil { return .failure(.badClientSecret) }
            switch redirectRule {
            case .required:
                guard presented.redirectURI == code.redirectURI else { return .failure(.redirectURIMismatch) }
            case .ifSent:
                if let sent = presented.redirectURI, sent != code.redirectURI { return .failure(.redirectURIMismatch) }
            case .notSent:
                break
            }
            if let challenge = code.codeChallenge {
                guard let verifier = presented.codeVerifier else { return .failure(.missingCodeVerifier) }
                guard PKCE.verify(verifier: verifier, challenge: challenge, method: code.codeChallengeMethod ?? "plain") else {
                    return .failure(.wrongCodeVerifier)
                }
            }
            codes[value]?.used = true
            return .success(code)
        }
    }

    /// Forgets every code of `provider`.
    func reset(provider: String) {
        codes.withLock { $0 = $0.filter { $0.value.provider != provider } }
    }
}
