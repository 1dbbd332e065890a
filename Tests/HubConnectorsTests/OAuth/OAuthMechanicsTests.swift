import Crypto
import Foundation
import HubCore
import NIOHTTP1
import Testing

@testable import HubConnectors

/// The shared OAuth mechanics without a network: error bodies, token responses, authorize URLs,
/// and the two signatures the hub checks (Shopify's callback, Salesforce's identity).
@Suite struct OAuthMechanicsTests {
    static let wire = OAuthWire(provider: "test", name: "Test", clientAuthentication: .basic, accountAttribute: "account")
    static let client = OAuthClientRegistration(clientID: "client-1", clientSecret: "s3cret", redirectURI: "http://127.0.0.1:4567/cb?x=1")
    static let endpoints = ProviderEndpoints(sandboxBaseURL: "http://127.0.0.1:8090/")

    static func response(_ status: Int, _ body: String, headers: HTTPHeaders = [:]) -> ProviderResponse {
        ProviderResponse(status: status, headers: headers, body: Array(body.utf8))
    }

    static func classify(_ status: Int, _ body: String, wire: OAuthWire = wire) -> ConnectorError {
        OAuthErrorMapper.classify(response(status, body), wire: wire, entity: "oauth_token")
    }

    // MARK: Errors

    @Test func oauthErrorBodiesAreReadByCode() {
        guard case .authenticationFailed(let message) = Self.classify(400, #"{"error":"invalid_grant","error_description":"expired"}"#) else {
            Issue.record("invalid_grant must be an authentication failure")
            return
        }
        #expect(message.contains("expired"))
        guard case .authenticationFailed = Self.classify(401, #"{"error":"invalid_client"}"#) else {
            Issue.record("invalid_client")
            return
        }
        guard case .permissionDenied = Self.classify(400, #"{"error":"invalid_scope"}"#) else {
            Issue.record("invalid_scope")
            return
        }
        guard case .validation = Self.classify(400, #"{"error":"unsupported_grant_type"}"#) else {
            Issue.record("grant type")
            return
        }
        guard case .authenticationFailed = Self.classify(401, "") else {
            Issue.record("a bare 401")
            return
        }
        guard case .validation = Self.classify(400, "<html>") else {
            Issue.record("a bare 400")
            return
        }
    }

    @Test func outagesAndThrottlingAreRetryable() {
        let outage = Self.classify(503, #"{"error":"temporarily_unavailable"}"#)
        #expect(outage == .unavailable(status: 503, message: "Test answered HTTP 503"))
        #expect(outage.isRetryable)
        let throttled = OAuthErrorMapper.classify(Self.response(429, "{}", headers: ["Retry-After": "3"]), wire: Self.wire, entity: "x")
        #expect(throttled == .rateLimited(retryAfter: .seconds(3)))
        #expect(!Self.classify(400, #"{"error":"invalid_grant"}"#).isRetryable, "a refused grant is not retried")
    }

    @Test func providersReadTheirOwnShapesFirst() {
        guard case .authenticationFailed = Self.classify(403, "Bad_OAuth_Token", wire: SalesforceConnector.oauthWire) else {
            Issue.record("Salesforce's plain-text 403 is a dead token")
            return
        }
        guard case .permissionDenied = Self.classify(403, "Bad_OAuth_Token") else {
            Issue.record("others read 403 as permission")
            return
        }
        let slack = SlackConnector.oauthWire.failureInSuccess
        #expect(slack(["ok": true]) == nil)
        guard case .authenticationFailed = slack(["ok": false, "error": "token_revoked"]) else {
            Issue.record("token_revoked")
            return
        }
        guard case .authenticationFailed = slack(["ok": false, "error": "invalid_refresh_token"]) else {
            Issue.record("refresh")
            return
        }
        guard case .permissionDenied = slack(["ok": false, "error": "missing_scope"]) else {
            Issue.record("missing_scope")
            return
        }
        guard case .rateLimited = slack(["ok": false, "error": "ratelimited"]) else {
            Issue.record("ratelimited")
            return
        }
        guard case .validation = slack(["ok": false, "error": "channel_not_found"]) else {
            Issue.record("channel_not_found")
            return
        }
    }

    // MARK: Token responses

    @Test func tokenResponsesAreReadTheStandardWay() throws {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        var wire = Self.wire
        wire.refreshTokenLifetimeField = "x_refresh_token_expires_in"
        let tokens = try OAuthTokenResponse(
            fields: [
                "access_token": "a", "refresh_token": "r", "expires_in": "3600", "x_refresh_token_expires_in": 8_726_400,
                "scope": "one  two three",
            ]
        ).tokens(wire: wire, now: now)
        #expect(tokens.accessToken == "a" && tokens.refreshToken == "r")
        #expect(tokens.expiresAt == now.addingTimeInterval(3600), "a numeric string is accepted")
        #expect(tokens.refreshTokenExpiresAt == now.addingTimeInterval(8_726_400))
        #expect(tokens.scopes == ["one", "two", "three"])

        let slack = try OAuthTokenResponse(fields: ["access_token": "xoxb-1", "scope": "chat:write, channels:read"])
            .tokens(wire: SlackConnector.oauthWire, now: now)
        #expect(slack.scopes == ["chat:write", "channels:read"])
        #expect(slack.expiresAt == nil && slack.refreshToken == nil)
        let listed = OAuthTokenResponse(fields: ["access_token": "x", "scopes": ["oauth", "crm.objects.contacts.read"]])
        #expect(listed.scopes(separator: " ") == ["oauth", "crm.objects.contacts.read"])
        #expect(OAuthTokenResponse(fields: ["hub_id": 12_345_678]).string("hub_id") == "12345678")
        #expect(throws: ConnectorError.self) { try OAuthTokenResponse(fields: ["token_type": "bearer"]).tokens(wire: Self.wire) }
    }

    @Test func basicAuthenticationEncodesTheClient() throws {
        let header = OAuthWire.basic(OAuthClientRegistration(clientID: "id:1", clientSecret: "p&ss", redirectURI: ""))
        let decoded = try #require(Data(base64Encoded: String(header.dropFirst("Basic ".count))))
        #expect(String(decoding: decoded, as: UTF8.self) == "id%3A1:p%26ss", "RFC 6749 §2.3.1 form-encodes both parts")
    }

    // MARK: Authorize URLs

    static func query(_ url: String) throws -> [String: String] {
        let items = try #require(URLComponents(string: url)?.queryItems)
        return Dictionary(items.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
    }

    @Test func authorizeURLsCarryPKCEOnlyWhereSupported() throws {
        let request = AuthorizationRequest(state: "st", codeChallenge: "challenge-1")
        let xero = try XeroConnector.authorizationURL(request, client: Self.client, endpoints: Self.endpoints)
        #expect(xero.hasPrefix("http://127.0.0.1:8090/xero/identity/connect/authorize?"))
        let xeroQuery = try Self.query(xero)
        #expect(xeroQuery["code_challenge"] == "challenge-1" && xeroQuery["code_challenge_method"] == "S256")
        #expect(xeroQuery["response_type"] == "code" && xeroQuery["state"] == "st")
        #expect(xeroQuery["redirect_uri"] == Self.client.redirectURI, "the redirect URI survives encoding")
        #expect(xeroQuery["scope"]?.split(separator: " ").contains("offline_access") == true)

        let quickbooks = try Self.query(QuickBooksConnector.authorizationURL(request, client: Self.client, endpoints: .production))
        #expect(quickbooks["code_challenge"] == nil, "QuickBooks takes no PKCE")
        #expect(quickbooks["scope"] == "com.intuit.quickbooks.accounting")

        let slack = try Self.query(SlackConnector.authorizationURL(request, client: Self.client, endpoints: .production))
        #expect(slack["scope"] == "channels:read,chat:write,chat:write.public")
    }

    @Test func shopifyAuthorizesOnTheShopsHost() throws {
        let request = AuthorizationRequest(state: "st", codeChallenge: nil, parameters: ["shop_domain": "my-store.myshopify.com"])
        let production = try ShopifyConnector.authorizationURL(request, client: Self.client, endpoints: .production)
        #expect(production.hasPrefix("https://my-store.myshopify.com/admin/oauth/authorize?"))
        let sandboxed = try ShopifyConnector.authorizationURL(request, client: Self.client, endpoints: Self.endpoints)
        #expect(sandboxed.hasPrefix("http://127.0.0.1:8090/shopify/my-store.myshopify.com/admin/oauth/authorize?"))
        let query = try Self.query(production)
        #expect(query["response_type"] == nil)
        #expect(query["scope"]?.contains(",") == true)
        let forged = AuthorizationRequest(state: "st", codeChallenge: nil, parameters: ["shop_domain": "evil.example.com/x"])
        #expect(throws: ConnectorError.self) { try ShopifyConnector.authorizationURL(forged, client: Self.client, endpoints: .production) }
    }

    // MARK: Signatures

    /// Shopify's documented example: secret `hush`.
    static let shopifyVector: [(name: String, value: String)] = [
        ("code", "0907a61c0c8d55e99db179b68161bc00"), ("shop", "some-shop.myshopify.com"), ("state", "0.6784241404160823"),
        ("timestamp", "1337178173"), ("hmac", "700e2dadb827fcc8609e9d5ce208b2e9cdaab9df07390d2cbca10d7c328fc4bf"),
    ]

    @Test func shopifysDocumentedCallbackVerifies() throws {
        let client = OAuthClientRegistration(clientID: "c", clientSecret: "hush", redirectURI: "")
        let request = AuthorizationRequest(state: "0.6784241404160823", codeChallenge: nil, parameters: ["shop_domain": "some-shop.myshopify.com"])
        #expect(
            try ShopifyConnector.validateCallback(query: Self.shopifyVector, authorization: request, client: client) == [
                "shop_domain": "some-shop.myshopify.com"
            ]
        )
        let upper = Self.shopifyVector.map { $0.name == "hmac" ? (name: "hmac", value: $0.value.uppercased()) : $0 }
        #expect(
            try ShopifyConnector.validateCallback(query: upper, authorization: request, client: client)["shop_domain"] != nil,
            "hex case is ignored"
        )
    }

    @Test func aValidlySignedCallbackForAnotherShopIsRefused() {
        // Signed with the right secret (as a callback from the other shop would be), but not the shop authorized.
        let client = OAuthClientRegistration(clientID: "c", clientSecret: "hush", redirectURI: "")
        var query: [(name: String, value: String)] = [("code", "c1"), ("shop", "evil-shop.myshopify.com"), ("state", "s"), ("timestamp", "1")]
        query.append(("hmac", ShopifyConnector.callbackHMAC(query.map { ($0.name, $0.value) }, secret: "hush")))
        let request = AuthorizationRequest(state: "s", codeChallenge: nil, parameters: ["shop_domain": "some-shop.myshopify.com"])
        #expect(throws: ConnectorError.validation(message: "Shopify's callback is for another shop than the one authorized", field: "shop")) {
            try ShopifyConnector.validateCallback(query: query, authorization: request, client: client)
        }
        let duplicated = query + [("hmac", query.last?.value ?? "")]
        #expect(throws: ConnectorError.self) { try ShopifyConnector.validateCallback(query: duplicated, authorization: request, client: client) }
    }

    @Test func salesforceIdentityMustBeSignedWithTheClientSecret() throws {
        let identity = "https://login.salesforce.com/id/00Dxx0000001gPL/005xx000001Sv6e"
        let issuedAt = "1700000000000"
        let key = SymmetricKey(data: Array(Self.client.clientSecret.utf8))
        let signature = Data(HMAC<SHA256>.authenticationCode(for: Array((identity + issuedAt).utf8), using: key)).base64EncodedString()
        var fields: [String: JSONValue] = [
            "access_token": "a", "instance_url": "https://example.my.salesforce.com", "id": .string(identity), "issued_at": .string(issuedAt),
            "signature": .string(signature),
        ]
        let attributes = try SalesforceConnector.attributes(of: OAuthTokenResponse(fields: fields), client: Self.client)
        #expect(attributes["organization_id"] == "00Dxx0000001gPL")
        #expect(attributes["instance_url"] == "https://example.my.salesforce.com")

        fields["id"] = "https://login.salesforce.com/id/00DotherOrg00001/005xx000001Sv6e"
        #expect(throws: ConnectorError.self) { try SalesforceConnector.attributes(of: OAuthTokenResponse(fields: fields), client: Self.client) }
    }
}
