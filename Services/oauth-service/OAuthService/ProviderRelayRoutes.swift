import Foundation
import HubConnections
import HubConnectors
import HubCore
import Hummingbird
import NIOHTTP1
import ServiceEdge

/// oauth-service is the only process that holds the providers' client secrets; these internal
/// routes (service token only) do for the other processes what needs one, without handing it out:
///
/// - `POST /internal/providers/{provider}/forward` `{"path": "transactions/sync", "body": {…}}`:
///   adds the hub's client credentials to the body and sends it to the provider's API (Plaid), one
///   attempt, only to the paths the connector itself calls. The provider's answer comes back as
///   `{"status", "body", "retry_after"}`: the caller classifies and retries as if it had called.
/// - `POST /internal/providers/{provider}/webhook-signatures/verify` `{"method", "url", "headers",
///   "body"}` (the signature headers; body in base64, as received): `{"valid": true|false}` for a
///   webhook signed with the client secret (Shopify, HubSpot).
/// - `POST /internal/providers/{provider}/webhook-signatures/verify-batch` `{"requests": [...]}`
///   (1 to 100 checks as above): `{"valid": [...]}`, a verdict per check in order. webhook-service
///   sends the webhooks that arrive together in one call.
struct ProviderRelayRoutes {
    let factory: ConnectorFactory

    struct ForwardRequest: StrictDecodable {
        static let allowedFields: Set<String> = ["path", "body"]
        var path: String
        var body: JSONValue
    }

    struct VerifyRequest: StrictDecodable {
        static let allowedFields: Set<String> = ["method", "url", "headers", "body"]
        var method: String
        var url: String
        var headers: [String: String]
        var body: String
    }

    struct VerifyBatchRequest: StrictDecodable {
        static let allowedFields: Set<String> = ["requests"]
        /// Each strict as `verify`'s body is (`requests[1].signature` is refused).
        var requests: [Strict<VerifyRequest>]

        /// The checks, or 422 when there are none or more than a call may carry.
        func checks() throws -> [VerifyRequest] {
            guard (1...OAuthServiceRelay.checksPerCall).contains(requests.count) else {
                throw APIError.validation("'requests' takes 1 to \(OAuthServiceRelay.checksPerCall) checks", field: "requests")
            }
            return requests.map(\.value)
        }
    }

    struct Verdict: ResponseEncodable {
        var valid: Bool
    }

    struct Verdicts: ResponseEncodable {
        var valid: [Bool]
    }

    func add(to group: RouterGroup<HubRequestContext>) {
        group.post("providers/:provider/forward") { request, context -> ForwardedCall in
            let provider = try context.parameters.require("provider")
            guard let type = factory.registry.connector(id: provider) as? any BodyCredentialedAPI.Type else {
                throw APIError(.notFound, code: "not_relayed", message: "calls to '\(provider)' are not relayed")
            }
            let call = try await request.decodeJSON(as: ForwardRequest.self, context: context)
            guard let isRead = type.relayedPaths[call.path] else {
                throw APIError.validation("'\(call.path)' is not a \(provider) API path the hub calls", field: "path")
            }
            guard case .object = call.body else { throw APIError.validation("'body' must be a JSON object", field: "body") }
            let target = try configured(provider)
            var transport = target.transport
            transport.retry = .none  // the caller retries, as it would calling the provider itself
            var headers = HTTPHeaders([("Content-Type", "application/json")])
            for (name, value) in type.relayedHeaders { headers.add(name: name, value: value) }
            let forwarded = ProviderRequest(
                method: .POST,
                url: "\(target.baseURL)/\(call.path)",
                headers: headers,
                body: call.body.encoded(),
                isIdempotent: isRead
            )
            do {
                let response = try await transport.sendOnce(forwarded, provider: provider, entity: "relay")
                return ForwardedCall(
                    status: response.status,
                    body: String(decoding: response.body, as: UTF8.self),
                    retryAfter: response.headers.first(name: "Retry-After")
                )
            } catch {
                throw APIError(.badGateway, code: "provider_unreachable", message: "\(provider) could not be reached")
            }
        }
        group.post("providers/:provider/webhook-signatures/verify") { request, context -> Verdict in
            let verifier = try signatureVerifier(context)
            let check = try await request.decodeJSON(as: VerifyRequest.self, context: Self.checkReading(context))
            return Verdict(valid: try verifier(check, "body"))
        }
        group.post("providers/:provider/webhook-signatures/verify-batch") { request, context -> Verdicts in
            let verifier = try signatureVerifier(context)
            let checks = try await request.decodeJSON(as: VerifyBatchRequest.self, context: Self.checkReading(context)).checks()
            return Verdicts(valid: try checks.enumerated().map { index, check in try verifier(check, "requests[\(index)].body") })
        }
    }

    /// A check carries a webhook in base64 (a third larger than as received): one at
    /// webhook-service's body limit must still be read, so checks may be twice as large (with
    /// `HUB_MAX_BODY_BYTES` no lower here than in webhook-service).
    static func checkReading(_ context: HubRequestContext) -> HubRequestContext {
        var context = context
        context.maxBodyBytes *= 2
        return context
    }

    /// Decides checks for the route's provider with the hub's client secret: 404 for a provider
    /// that does not sign webhooks with it, 503 when none is configured, 422 for a body that is
    /// not base64 (named by `field`).
    func signatureVerifier(_ context: HubRequestContext) throws -> (VerifyRequest, _ field: String) throws -> Bool {
        let provider = try context.parameters.require("provider")
        guard let type = factory.registry.connector(id: provider) as? any ClientSecretSignedWebhooks.Type else {
            throw APIError(.notFound, code: "not_relayed", message: "'\(provider)' webhooks are not signed with the client secret")
        }
        let secret = try configured(provider).client?.clientSecret ?? ""
        return { check, field in
            guard let body = Data(base64Encoded: check.body) else { throw APIError.validation("'\(field)' must be base64", field: field) }
            let signed = SignedWebhookRequest(method: check.method, url: check.url, headers: check.headers, body: Array(body))
            return type.webhookSignatureValid(signed, secrets: [secret])
        }
    }

    /// The provider's context with the hub's client secret, or 503 when the operator set none.
    func configured(_ provider: String) throws -> ConnectorContext {
        guard let context = factory.context(provider: provider, credentials: [:]), let secret = context.client?.clientSecret, !secret.isEmpty
        else {
            throw APIError(
                .serviceUnavailable,
                code: "provider_not_configured",
                message: "no client id and secret are configured for \(provider) in oauth-service"
            )
        }
        return context
    }
}

extension ForwardedCall: ResponseEncodable {}
