import Foundation
import HubConnectors
import HubCore
import NIOHTTP1

/// oauth-service as the holder of the providers' client secrets, for every other process:
/// `POST /internal/providers/{provider}/forward` sends a call on with the client credentials
/// added (Plaid), `POST /internal/providers/{provider}/webhook-signatures/verify-batch` checks
/// webhook signatures made with the client secret (Shopify, HubSpot). Calls carry the service token, the request id
/// and `traceparent` of the request they serve; only reads are repeated when oauth-service does
/// not answer. Nothing secret is kept here.
public struct OAuthServiceRelay: ProviderRelay {
    let services: ServiceClient
    /// Webhooks arriving together are checked in one call (`SignatureCheckBatcher`).
    let signatureChecks: SignatureCheckBatcher

    public init(services: ServiceClient) {
        self.services = services
        self.signatureChecks = SignatureCheckBatcher(limit: Self.checksPerCall, bodyBytes: Self.bodyBytesPerCall) { provider, requests in
            await Self.verify(requests, provider: provider, services: services)
        }
    }

    /// The most checks one call carries (oauth-service's limit for `verify-batch`).
    public static let checksPerCall = 100
    /// The most webhook body bytes one call carries, unless a single webhook is larger: sent in
    /// base64, they stay well under what oauth-service reads of a check (twice its body limit).
    static let bodyBytesPerCall = 512 << 10

    public func forward(_ request: ProviderRequest, provider: String, path: String) async throws(ConnectorError) -> ProviderResponse {
        guard let body = JSONReader.parse(request.body ?? []) else { throw .validation(message: "the request body is not JSON", field: nil) }
        let call: JSONValue = ["path": .string(path), "body": body]
        let reply: ServiceClient.Reply
        do {
            reply = try await services.send(
                .POST,
                to: .oauth,
                path: "/internal/providers/\(provider)/forward",
                json: Data(call.encoded()),
                propagation: .inherited,
                idempotent: request.isIdempotent
            )
        } catch {
            throw .relayUnavailable("oauth-service, which holds the \(provider) client secret, is unavailable (\(error.reason)); retry shortly")
        }
        guard reply.status == 200, let forwarded = try? JSONDecoder.hub.decode(ForwardedCall.self, from: reply.body) else {
            let envelope = JSONReader.parse(Array(reply.body))
            if reply.status == 502, envelope?["error"]?["code"]?.stringValue == "provider_unreachable" {
                throw .network("\(provider) could not be reached from oauth-service")
            }
            let code = envelope?["error"]?["code"]?.stringValue ?? "HTTP \(reply.status)"
            throw .relayUnavailable("oauth-service could not send the \(provider) call on (\(code))")
        }
        var headers = HTTPHeaders([("Content-Type", "application/json")])
        if let retryAfter = forwarded.retryAfter { headers.add(name: "Retry-After", value: retryAfter) }
        return ProviderResponse(status: forwarded.status, headers: headers, body: Array(forwarded.body.utf8))
    }

    public func verifyWebhookSignature(provider: String, request: SignedWebhookRequest) async throws(WebhookVerificationError) -> Bool {
        try await signatureChecks.check(provider: provider, request: request)
    }

    /// Checks `requests` in one call to `…/webhook-signatures/verify-batch`: a verdict each, in
    /// order, or `.verifierUnavailable` when oauth-service gives none. An oauth-service older than
    /// that route (during a rolling upgrade: 404 `not_found`) is asked one check a call, at
    /// `…/webhook-signatures/verify`. `batchRoute` names the route (a test names a missing one).
    static func verify(
        _ requests: [SignedWebhookRequest],
        provider: String,
        services: ServiceClient,
        batchRoute: String = "verify-batch"
    ) async -> Result<[Bool], WebhookVerificationError> {
        let checks = requests.map { request -> JSONValue in
            [
                "method": .string(request.method), "url": .string(request.url),
                "headers": .object(request.headers.mapValues { .string($0) }), "body": .string(Data(request.body).base64EncodedString()),
            ]
        }
        let routes = "/internal/providers/\(provider)/webhook-signatures/"
        guard let reply = await send(["requests": .array(checks)], to: routes + batchRoute, services: services) else {
            return .failure(.verifierUnavailable)
        }
        switch (reply.status, reply.json) {
        case (200, let answer?):
            guard case .array(let values)? = answer["valid"] else { return .failure(.verifierUnavailable) }
            return .success(values.compactMap(\.boolValue))
        case (404, let answer?) where answer["error"]?["code"]?.stringValue == "not_found":
            var verdicts: [Bool] = []
            for check in checks {
                guard let single = await send(check, to: routes + "verify", services: services), single.status == 200,
                    let valid = single.json?["valid"]?.boolValue
                else { return .failure(.verifierUnavailable) }
                verdicts.append(valid)
            }
            return .success(verdicts)
        default:
            return .failure(.verifierUnavailable)
        }
    }

    /// nil when oauth-service did not answer. A check changes nothing: repeating it is safe.
    /// Within the few seconds a provider waits for its answer (Shopify: 5, HubSpot: 5), so a 503
    /// reaches it while it still listens.
    private static func send(_ call: JSONValue, to path: String, services: ServiceClient) async -> (status: Int, json: JSONValue?)? {
        guard
            let reply = try? await services.send(
                .POST,
                to: .oauth,
                path: path,
                json: Data(call.encoded()),
                propagation: .inherited,
                timeout: .seconds(3),
                idempotent: true
            )
        else { return nil }
        return (reply.status, JSONReader.parse(Array(reply.body)))
    }
}

/// What oauth-service's forwarder answers: the provider's status, body and `Retry-After`.
public struct ForwardedCall: Codable, Sendable {
    public var status: Int
    public var body: String
    public var retryAfter: String?

    public init(status: Int, body: String, retryAfter: String?) {
        self.status = status
        self.body = body
        self.retryAfter = retryAfter
    }

    enum CodingKeys: String, CodingKey {
        case status, body
        case retryAfter = "retry_after"
    }
}
