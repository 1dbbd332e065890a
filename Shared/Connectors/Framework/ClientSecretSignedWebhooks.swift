import Foundation
import HubCore
import NIOHTTP1

/// What a webhook signature made with the hub's client secret covers, as webhook-service
/// received it: enough for the holder of the secret (oauth-service) to check it without the
/// rest of the request.
public struct SignedWebhookRequest: Sendable, Equatable {
    /// The header webhook-service puts the request target (`/webhooks/hubspot?…`) in; it
    /// overwrites any such header a sender set.
    public static let requestTargetHeader = "X-Hub-Request-Target"

    /// The request method (`POST`).
    public var method: String
    /// The URL the provider called, as `https://` with the public host (`X-Forwarded-Host` or
    /// `Host`) and the request target; empty when either is unknown. A TLS-terminating proxy
    /// hides the scheme, so checks that cover the URL try `http://` too.
    public var url: String
    /// The provider's signature headers (those its check reads), by the names it declares.
    public var headers: [String: String]
    /// The exact body bytes.
    public var body: [UInt8]

    public init(method: String, url: String, headers: [String: String], body: [UInt8]) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The parts of a received webhook that `names` (a provider's `signatureHeaders`) and its URL cover.
    public init(body: [UInt8], received: HTTPHeaders, signatureHeaders names: [String]) {
        var headers: [String: String] = [:]
        for name in names { if let value = received.first(name: name) { headers[name] = value } }
        var url = ""
        if let target = received.first(name: Self.requestTargetHeader), target.hasPrefix("/"),
            let host = (received.first(name: "X-Forwarded-Host") ?? received.first(name: "Host"))?.trimmingWhitespace(), !host.isEmpty
        {
            url = "https://\(host)\(target)"
        }
        self.init(method: "POST", url: url, headers: headers, body: body)
    }

    /// A signature header's value, whatever the case of its name.
    public func header(_ name: String) -> String? {
        headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Whether a request is signed with the hub's client secret: computed where the secret is, asked
/// of its holder elsewhere.
public typealias SignedWebhookCheck = @Sendable (SignedWebhookRequest) async throws(WebhookVerificationError) -> Bool

/// A provider that signs its webhooks with the hub's app client secret (Shopify, HubSpot): the
/// holder of the secret (oauth-service) checks signatures for the other processes, so the secret
/// never leaves it.
public protocol ClientSecretSignedWebhooks: AppWebhookVerifying {
    /// The headers the signature check reads, sent with the body, method and URL to the holder.
    static var signatureHeaders: [String] { get }

    /// Whether `request` is signed with one of `secrets` (constant-time comparison).
    static func webhookSignatureValid(_ request: SignedWebhookRequest, secrets: [String]) -> Bool

    /// The provider's verifier, deciding signatures with `check`.
    static func webhookVerifier(check: @escaping SignedWebhookCheck) -> any WebhookVerifier
}

extension ClientSecretSignedWebhooks where Self: Connector {
    /// With the client secret at hand (oauth-service) the HMAC is computed here; elsewhere the
    /// holder of the secret is asked. Without a client registration the webhooks are refused.
    public static func webhookVerifier(context: ConnectorContext) -> (any WebhookVerifier)? {
        if let secret = context.client?.clientSecret, !secret.isEmpty {
            return webhookVerifier { request in webhookSignatureValid(request, secrets: [secret]) }
        }
        guard context.client != nil, let relay = context.relay else { return nil }
        let provider = definition.id
        return webhookVerifier { request async throws(WebhookVerificationError) in
            try await relay.verifyWebhookSignature(provider: provider, request: request)
        }
    }
}

extension ShopifyConnector: ClientSecretSignedWebhooks {
    public static let signatureHeaders = [ShopifyWebhookVerifier.signatureHeader]

    public static func webhookSignatureValid(_ request: SignedWebhookRequest, secrets: [String]) -> Bool {
        ShopifyWebhookVerifier.signs(request, secrets: secrets)
    }

    public static func webhookVerifier(check: @escaping SignedWebhookCheck) -> any WebhookVerifier {
        ShopifyWebhookVerifier(check: check)
    }
}

extension HubSpotConnector: ClientSecretSignedWebhooks {
    public static let signatureHeaders = HubSpotWebhookVerifier.signatureHeaders

    public static func webhookSignatureValid(_ request: SignedWebhookRequest, secrets: [String]) -> Bool {
        HubSpotWebhookVerifier.signs(request, secrets: secrets)
    }

    public static func webhookVerifier(check: @escaping SignedWebhookCheck) -> any WebhookVerifier {
        HubSpotWebhookVerifier(check: check)
    }
}
