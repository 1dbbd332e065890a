import Foundation
import HubConnectors
import HubCore
import HubWebhooks
import Hummingbird
import NIOHTTP1
import ServiceEdge

/// Provider webhooks, public (the provider's signature is the authentication):
///
/// - `POST /webhooks/{provider}`: routed by the account the event names (Shopify's shop, a Plaid
///   Item, a Stripe Connect account);
/// - `POST /webhooks/{provider}/{connection}`: the endpoint of one connection, for providers
///   whose events name no account (a Stripe account's own endpoint, signed with its secret).
///
/// 200 once stored (or recognised as a retry); 401 when the signature does not verify, 400 for a
/// signed body that is not an event, 404 for a provider whose webhooks the hub does not take. The
/// body never says why a signature failed; the log does. Providers that require it (Xero, whose
/// intent-to-receive check fails on any body) get the 200 and the 401 with an empty body.
struct InboundRoutes {
    let inbound: InboundWebhooks

    /// `{"new": …, "received": true}`; `new` is false when it was a retry of an event already stored.
    struct Acknowledgement: ResponseGenerator {
        var received: Bool
        var new: Bool

        /// Nothing but the status: 200, or 401 for a refusal.
        var empty = false
        /// The body an endpoint check expects instead (Slack's `{"challenge": …}`).
        var challenge: JSONValue? = nil

        func response(from request: Request, context: some RequestContext) throws -> Response {
            if let challenge { return try JSONValueResponse(body: challenge).response(from: request, context: context) }
            if empty { return Response(status: received ? .ok : .unauthorized, headers: [.contentLength: "0"]) }
            return try JSONValueResponse(body: ["received": .bool(received), "new": .bool(new)]).response(from: request, context: context)
        }
    }

    func add(to router: Router<HubRequestContext>) {
        router.post("/webhooks/:provider") { request, context -> Acknowledgement in
            try await receive(request, context: context, connection: nil)
        }
        router.post("/webhooks/:provider/:connection") { request, context -> Acknowledgement in
            guard let connection = UUID(uuidString: try context.parameters.require("connection")) else {
                throw APIError.notFound("webhook endpoint")
            }
            return try await receive(request, context: context, connection: connection)
        }
    }

    func receive(_ request: Request, context: HubRequestContext, connection: UUID?) async throws -> Acknowledgement {
        var request = request
        let provider = try context.parameters.require("provider")
        let body = Array(buffer: try await request.collectBody(upTo: context.maxBodyBytes))
        var headers = HTTPHeaders(request.headers.map { ($0.name.rawName, $0.value) })
        // Signatures that cover the URL (HubSpot v3) need the target as received; set here, never by the sender.
        headers.replaceOrAdd(name: SignedWebhookRequest.requestTargetHeader, value: request.uri.description)
        // HTTP/1.1's Host arrives as the request's authority, not among its header fields.
        if headers.first(name: "Host") == nil, let authority = request.head.authority { headers.add(name: "Host", value: authority) }
        do {
            let receipt = try await inbound.receiver.receive(provider: provider, connection: connection, body: body, headers: headers)
            return Acknowledgement(
                received: true,
                new: receipt.stored > 0 || receipt.routed == 0,
                empty: inbound.receiver.acknowledgesWithEmptyBody(provider: provider),
                challenge: receipt.challenge
            )
        } catch let refusal as InboundWebhookReceiver.Refusal {
            switch refusal {
            case .unknownProvider:
                throw APIError.notFound("webhook endpoint")
            case .unverified(let reason):
                context.logger.warning("inbound webhook refused", metadata: ["provider": "\(provider)", "reason": "\(reason)"])
                if inbound.receiver.acknowledgesWithEmptyBody(provider: provider) { return Acknowledgement(received: false, new: false, empty: true) }
                throw APIError(.unauthorized, code: "unverified", message: "the webhook could not be verified")
            case .malformed:
                context.logger.warning("inbound webhook refused", metadata: ["provider": "\(provider)", "reason": "malformed body"])
                throw APIError.badRequest("the webhook is not an event the hub can read", code: "malformed_event")
            case .verifierUnavailable:
                context.logger.error("inbound webhook not verifiable: oauth-service is unreachable", metadata: ["provider": "\(provider)"])
                throw APIError(
                    .serviceUnavailable,
                    code: "dependency_unavailable",
                    message: "the webhook cannot be verified right now; send it again later",
                    headers: [.retryAfter: "5"]
                )
            }
        }
    }
}
