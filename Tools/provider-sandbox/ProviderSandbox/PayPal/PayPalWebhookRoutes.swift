import Foundation
import HubCore
import Hummingbird

/// PayPal's webhook side in the sandbox:
///
/// - `GET /paypal/v1/notifications/certs/{CERT-…}`: the signing certificate (PEM,
///   `application/x-pem-file`), 404 with PayPal's error body for any other id.
/// - `POST /_admin/paypal/webhooks` `{"url"}` → `{"id", "url"}`: a webhook registered in the
///   merchant's app (the Developer Dashboard's step); its id is what the merchant enters in the hub.
/// - `POST /_admin/paypal/webhooks/events` `{"event_type", "resource", "resource_type"?, "summary"?, "id"?}`:
///   PayPal sends that event to every registered webhook; answers the event, the exact body sent
///   and, per delivery, the webhook, the receiver's status and the exact headers (for replays in tests).
struct PayPalWebhookRoutes: Sendable {
    let sender: PayPalWebhookSender

    struct Registration: Decodable {
        var url: String
    }

    struct EventRequest: Decodable {
        var eventType: String
        var resource: JSONValue
        var resourceType: String?
        var summary: String?
        var id: String?

        enum CodingKeys: String, CodingKey {
            case resource, summary, id
            case eventType = "event_type"
            case resourceType = "resource_type"
        }
    }

    func addRoutes(to group: RouterGroup<SandboxContext>) {
        group.get("v1/notifications/certs/:certificate") { _, context -> Response in
            let signer = try sender.signer
            guard context.parameters.get("certificate") == signer.certificateID else {
                return PayPalOAuthRoutes.error(.notFound, name: "RESOURCE_NOT_FOUND", message: "The specified resource does not exist.")
            }
            return JSONBody.response(Array(signer.certificatePEM.utf8), contentType: "application/x-pem-file")
        }
    }

    func addAdminRoutes(to group: RouterGroup<SandboxContext>) {
        group.post("webhooks") { request, context -> Response in
            let registration = try await request.decode(as: Registration.self, context: context)
            return JSONBody.response(JSONBody.encode(sender.register(url: registration.url)), status: .created)
        }
        group.post("webhooks/events") { request, context -> Response in
            let asked = try await request.decode(as: EventRequest.self, context: context)
            // The address the sandbox was reached at stands in for api.sandbox.paypal.com.
            guard let host = request.head.authority else {
                throw HTTPError(.badRequest, message: "no Host to name the certificate URL with")
            }
            let apiBase = "http://\(host)/paypal"
            let id = asked.id ?? "WH-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(17).uppercased()
            let event = PayPalWebhookSender.event(
                id: id,
                type: asked.eventType,
                resourceType: asked.resourceType ?? "capture",
                summary: asked.summary ?? asked.eventType,
                resource: asked.resource,
                apiBase: apiBase
            )
            let body = event.encoded()
            let deliveries = try await sender.send(body, apiBase: apiBase)
            let sent: [JSONValue] = deliveries.map { delivery in
                var headers: [String: JSONValue] = [:]
                for header in delivery.headers { headers[header.name] = .string(header.value) }
                return [
                    "webhook_id": .string(delivery.webhook.id), "url": .string(delivery.webhook.url),
                    "status": delivery.status.map { .number(Double($0)) } ?? .null, "headers": .object(headers),
                ]
            }
            let answer: JSONValue = ["event": event, "body": .string(String(decoding: body, as: UTF8.self)), "deliveries": .array(sent)]
            return JSONBody.response(answer.encoded())
        }
    }
}
