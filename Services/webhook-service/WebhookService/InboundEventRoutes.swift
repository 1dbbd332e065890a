import Foundation
import HubCore
import HubWebhooks
import Hummingbird
import ServiceEdge

/// The organization's view of the provider webhooks that came in for its connections:
///
/// - `GET /api/v1/integrations/webhooks/inbound-events?connection_id=&status=&limit=&cursor=`:
///   newest first, each with what processing made of it (`processed` with what changed,
///   `ignored` or `failed` with the reason, `received` while waiting).
struct InboundEventRoutes {
    let inbound: InboundWebhooks

    func add(to api: RouterGroup<HubRequestContext>) {
        api.get("integrations/webhooks/inbound-events") { request, context -> Page<InboundEvent> in
            let identity = try context.requireIdentity()
            let page = try PageRequest(query: request.uri)
            let parameters = request.uri.queryParameters
            let status = parameters["status"].map(String.init)
            if let status, !InboundEvent.statuses.contains(status) {
                throw APIError.validation("'status' must be one of \(InboundEvent.statuses.joined(separator: ", "))", field: "status")
            }
            var connection: UUID?
            if let text = parameters["connection_id"].map(String.init) {
                guard let id = UUID(uuidString: text) else { throw APIError.validation("'connection_id' must be a UUID", field: "connection_id") }
                connection = id
            }
            let rows = try await inbound.store.list(organization: identity.organizationID, connection: connection, status: status, page: page)
            return Page(rows: rows, limit: page.limit, key: InboundEvent.cursorKey)
        }
    }
}
