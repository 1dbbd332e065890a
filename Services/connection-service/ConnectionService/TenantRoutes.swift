import Foundation
import HubConnections
import HubConnectors
import HubCore
import Hummingbird
import ServiceEdge

/// `…/connections/{id}/tenants` and `…/tenant`: the organisations a grant reaches (Xero lets one
/// consent reach several) and the user's choice among them. Until the choice the connection is
/// `connecting` and tests and syncs answer 409 `tenant_choice_required`.
struct TenantRoutes {
    let lifecycle: ConnectionLifecycle
    let lookup: ConnectionLookup

    /// `GET …/tenants`.
    struct Tenants: Encodable, Sendable, ResponseEncodable {
        var data: [ProviderTenant]
        /// The chosen tenant's id; nil while the choice is pending (or for a provider without tenants).
        var tenantID: String?
        var choiceRequired: Bool

        enum CodingKeys: String, CodingKey {
            case data
            case tenantID = "tenant_id"
            case choiceRequired = "choice_required"
        }
    }

    /// `PUT …/tenant`.
    struct ChooseTenantRequest: StrictDecodable {
        static let allowedFields: Set<String> = ["tenant_id"]

        var tenantID: String

        enum CodingKeys: String, CodingKey {
            case tenantID = "tenant_id"
        }
    }

    func add(to connection: RouterGroup<HubRequestContext>) {
        connection.get("tenants") { _, context -> Tenants in
            let connection = try await lookup.live(context)
            return Tenants(
                data: connection.tenants,
                tenantID: connection.tenants.isEmpty ? nil : connection.accountID,
                choiceRequired: connection.awaitsTenantChoice
            )
        }
        connection.put("tenant") { request, context -> Connection in
            let actor = try context.auditActor()
            let connection = try await lookup.live(context)
            let body = try await request.decodeJSON(as: ChooseTenantRequest.self, context: context)
            let tenantID = body.tenantID.trimmingWhitespace()
            guard !tenantID.isEmpty, tenantID.utf8.count <= 255 else {
                throw APIError.validation("'tenant_id' must be one of the ids GET …/tenants lists", field: "tenant_id")
            }
            return try await lifecycle.chooseTenant(connection, actor, tenantID: tenantID)
        }
    }
}
