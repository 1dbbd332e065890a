import Foundation
import Hummingbird

/// The grants themselves: the consent step, the code exchange, refresh, client credentials and
/// revocation, each counted in `OAuthStats`.
extension OAuthServer {
    /// How the emulated user answered an authorize request.
    enum Consent: Sendable {
        /// Consent given: redirect with this code.
        case granted(code: String, account: SandboxOAuthAccount, scopes: [String])
        /// The user refused (`sandbox_decision=deny`, or `deny_next` in the settings).
        case denied
        /// A request error the provider reports to the redirect URI (`invalid_scope`, …).
        case redirectError(code: String, description: String)
    }

    /// Validates an authorize request and lets the emulated user consent at once. Throws, to be shown
    /// as a page, when the client or the redirect URI is wrong: those must never be redirected to.
    /// - Parameter account: the account the request names (Shopify's shop); the server's own otherwise.
    func authorize(
        _ query: FormParameters,
        account: SandboxOAuthAccount? = nil
    ) throws(OAuthFailure) -> (redirectURI: String, consent: Consent) {
        let dialect = profile.dialect
        guard let clientID = query.nonEmpty("client_id") else {
            throw OAuthFailure(.missingParameter("client_id"), dialect: dialect, atAuthorize: true)
        }
        guard let client = client(id: clientID) else { throw OAuthFailure(.unknownClient, dialect: dialect, atAuthorize: true) }
        guard let redirectURI = query.nonEmpty("redirect_uri"), client.accepts(redirectURI: redirectURI) else {
            throw OAuthFailure(.unregisteredRedirectURI, dialect: dialect, atAuthorize: true)
        }
        let responseType = query["response_type"] ?? "code"
        guard responseType == "code" else {
            return (redirectURI, .redirectError(code: "unsupported_response_type", description: "response_type must be code"))
        }
        var scopes = profile.scopes(from: query["scope"]) + profile.scopes(from: query["user_scope"])
        if scopes.isEmpty { scopes = profile.defaultScopes }
        // HubSpot's `optional_scope`: granted when the account has them, never an error.
        let optional = profile.scopes(from: query["optional_scope"]).filter { profile.isKnownScope($0) && !scopes.contains($0) }
        guard !scopes.isEmpty else { return (redirectURI, .redirectError(code: "invalid_scope", description: "scope is missing")) }
        if let unknown = scopes.first(where: { !profile.isKnownScope($0) }) {
            return (redirectURI, .redirectError(code: "invalid_scope", description: "unknown scope '\(unknown)'"))
        }
        var challenge: String?
        var method: String?
        if !profile.pkceMethods.isEmpty, let given = query.nonEmpty("code_challenge") {
            let chosen = query.nonEmpty("code_challenge_method") ?? profile.pkceDefaultMethod
            guard profile.pkceMethods.contains(chosen) else {
                return (
                    redirectURI, .redirectError(code: "invalid_request", description: "code_challenge_method '\(chosen)' is not supported")
                )
            }
            challenge = given
            method = chosen
        }
        if query["sandbox_decision"] == "deny" || takeDenial() {
            count { $0.denials += 1 }
            return (redirectURI, .denied)
        }
        var account = account ?? self.account
        if let others = settings.additionalAccounts, !others.isEmpty { account.otherAccounts = others }
        scopes += optional
        let code = codes.create(
            provider: profile.id,
            clientID: client.id,
            redirectURI: redirectURI,
            scopes: scopes,
            account: account,
            challenge: challenge,
            challengeMethod: method,
            lifetime: settings.codeTTLSeconds ?? profile.codeLifetime
        )
        count { $0.authorizations += 1 }
        return (redirectURI, .granted(code: code, account: account, scopes: scopes))
    }

    /// The standard answer to an authorize request: a redirect with `code` and `state` (and `extras`
    /// for the granted case), or with `error` and `state`.
    func authorizeResponse(
        _ query: FormParameters,
        account: SandboxOAuthAccount? = nil,
        extras: (_ code: String, _ account: SandboxOAuthAccount) -> [(String, String)] = { _, _ in [] }
    ) throws(OAuthFailure) -> Response {
        let (redirectURI, consent) = try authorize(query, account: account)
        let state = query["state"].map { [("state", $0)] } ?? []
        switch consent {
        case .granted(let code, let account, _):
            return OAuthHTTP.redirect(to: redirectURI, adding: [("code", code)] + state + extras(code, account))
        case .denied:
            var parameters = [("error", "access_denied")]
            if profile.dialect == .salesforce { parameters.append(("error_description", "end-user denied authorization")) }
            return OAuthHTTP.redirect(to: redirectURI, adding: parameters + state)
        case .redirectError(let code, let description):
            return OAuthHTTP.redirect(to: redirectURI, adding: [("error", code), ("error_description", description)] + state)
        }
    }

    /// Exchanges an authorization code. `expiring` is false only for Shopify's non-expiring offline
    /// tokens and Slack without token rotation.
    func exchange(
        code: String?,
        client: SandboxOAuthClient,
        redirectURI: String?,
        codeVerifier: String?,
        accountID: String? = nil,
        expiring: Bool = true,
        requireChallenge: Bool = false
    ) throws(OAuthFailure) -> SandboxTokenStore.Issued {
        guard let code else { throw failure(.missingParameter("code")) }
        let presented = AuthorizationCodeStore.Presented(
            clientID: client.id,
            redirectURI: redirectURI,
            codeVerifier: codeVerifier,
            accountID: accountID,
            requireChallenge: requireChallenge
        )
        let redeemed: AuthorizationCodeStore.Code
        switch codes.redeem(code, provider: profile.id, presented: presented, redirectRule: profile.redirectAtExchange) {
        case .success(let value): redeemed = value
        case .failure(let reason): throw failure(reason)
        }
        let grant = tokens.startGrant(
            provider: profile.id,
            clientID: client.id,
            publicClient: requireChallenge,
            account: redeemed.account,
            scopes: redeemed.scopes
        )
        guard let issued = tokens.issue(grantID: grant, profile: profile, lifetimes: lifetimes(expiring: expiring, scopes: redeemed.scopes))
        else {
            throw failure(.unknownCode)
        }
        count { $0.codeExchanges += 1 }
        observer?.issued(issued.access)
        return issued
    }

    /// Whether a refresh with `value` may come without a client secret: only when a public (PKCE)
    /// client obtained the grant.
    func refreshMayOmitSecret(_ value: String?) -> Bool {
        value.flatMap { tokens.lookup(provider: profile.id, value: $0) }?.publicClient == true
    }

    /// Redeems a refresh token under the rotation rule in force.
    func refresh(_ value: String?, client: SandboxOAuthClient) throws(OAuthFailure) -> SandboxTokenStore.Issued {
        guard let value else { throw failure(.missingParameter("refresh_token")) }
        let rotation = settings.rotation(for: profile)
        let scopes = tokens.lookup(provider: profile.id, value: value)?.scopes ?? []
        let outcome = tokens.redeemRefresh(
            provider: profile.id,
            value: value,
            clientID: client.id,
            profile: profile,
            rotation: rotation,
            lifetimes: lifetimes(expiring: true, scopes: scopes)
        )
        switch outcome {
        case .issued(let issued, let reused):
            count {
                $0.refreshes += 1
                if reused { $0.refreshReuseAccepted += 1 }
            }
            observer?.issued(issued.access)
            return issued
        case .refused(let refusal):
            if refusal == .reused { count { $0.refreshReuseRejected += 1 } }
            count { $0.tokenErrors += 1 }
            throw OAuthFailure.refresh(refusal, dialect: profile.dialect)
        }
    }

    /// The client-credentials grant: the client's current token while it lasts, else a new one.
    func clientCredentials(client: SandboxOAuthClient, scopes: [String]) -> TokenInfo? {
        count { $0.clientCredentialsGrants += 1 }
        if let current = tokens.currentAccessToken(provider: profile.id, clientID: client.id) { return current }
        let granted = scopes.isEmpty ? profile.defaultScopes : scopes
        let grant = tokens.startGrant(provider: profile.id, clientID: client.id, account: account, scopes: granted)
        var lifetimes = lifetimes(expiring: true, scopes: granted)
        lifetimes.issueRefresh = false
        let access = tokens.issue(grantID: grant, profile: profile, lifetimes: lifetimes)?.access
        if let access { observer?.issued(access) }
        return access
    }

    /// Revokes a token (or its grant, as the provider does for that kind). Returns whether anything
    /// valid was revoked.
    @discardableResult
    func revoke(_ value: String) -> Bool {
        guard let info = tokens.lookup(provider: profile.id, value: value) else { return false }
        let wholeGrant = info.kind == .access ? profile.accessRevocationRevokesGrant : profile.refreshRevocationRevokesGrant
        let revoked = tokens.revoke(provider: profile.id, value: value, wholeGrant: wholeGrant)
        if revoked {
            count { $0.revocations += 1 }
            announceEnded(grantID: info.grantID)
        }
        return revoked
    }

    /// Revokes the token's whole grant as the user disconnecting the app in the provider's UI would
    /// (admin API; not counted as a client revocation). False when the token is unknown.
    func disconnect(_ value: String) -> Bool {
        guard let info = tokens.lookup(provider: profile.id, value: value) else { return false }
        _ = tokens.revoke(provider: profile.id, value: value, wholeGrant: true)
        announceEnded(grantID: info.grantID)
        return true
    }

    /// Makes a token expire now (admin API). False when the token is unknown.
    func expire(_ value: String) -> Bool {
        guard tokens.expire(provider: profile.id, value: value) else { return false }
        if let observer, let info = tokens.lookup(provider: profile.id, value: value), info.kind == .access { observer.ended(info) }
        return true
    }

    /// Tells the observer about every access token of the grant that is no longer usable.
    private func announceEnded(grantID: String) {
        guard let observer else { return }
        for info in tokens.tokens(provider: profile.id) where info.grantID == grantID && info.kind == .access && !info.isUsable() {
            observer.ended(info)
        }
    }

    /// The usable access token's record, or nil.
    public func validate(_ accessToken: String) -> TokenInfo? {
        tokens.validate(provider: profile.id, accessToken: accessToken)
    }

    /// A token-endpoint failure, counted.
    func failure(_ reason: OAuthFailure.Reason) -> OAuthFailure {
        count { $0.tokenErrors += 1 }
        return OAuthFailure(reason, dialect: profile.dialect)
    }
}
