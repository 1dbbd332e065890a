import HubCore
import Hummingbird
import ServiceEdge

/// `GET /api/v1/integrations/audit-log` (newest first, cursor-paginated) and
/// `GET /api/v1/integrations/audit-log/{id}`: the organization's record of who changed what.
struct AuditLogRoutes {
    let repository: AuditLogRepository

    func add(to api: RouterGroup<HubRequestContext>) {
        let auditLog = api.group("integrations/audit-log")
        auditLog.get { request, context -> Page<AuditEntry> in
            let identity = try context.requireIdentity()
            let page = try PageRequest(query: request.uri)
            let rows = try await repository.list(organization: identity.organizationID, page: page)
            return Page(rows: rows, limit: page.limit) { String($0.id) }
        }
        auditLog.get(":id") { _, context -> AuditEntry in
            let identity = try context.requireIdentity()
            guard let id = Int64(try context.parameters.require("id")),
                let entry = try await repository.get(organization: identity.organizationID, id: id)
            else { throw APIError.notFound("audit entry") }
            return entry
        }
    }
}
