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
            let rows = try await repository.list(
                organization: identity.organizationID,
                before: try page.afterNumber(),
                limit: page.limit,
                resource: try Self.resourceFilter(request.uri.queryParameters)
            )
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

    /// `resource_type` and `resource_id` filter together: one without the other is refused rather
    /// than silently ignored.
    static func resourceFilter(_ query: Parameters) throws -> (type: String, id: String)? {
        let type = query["resource_type"].map(String.init)
        let id = query["resource_id"].map(String.init)
        switch (type, id) {
        case (nil, nil): return nil
        case (let type?, let id?) where !type.isEmpty && !id.isEmpty && type.count <= 64 && id.count <= 256:
            return (type, id)
        default:
            throw APIError.validation(
                "resource_type and resource_id filter together: give both, non-empty (at most 64 and 256 characters)",
                field: type == nil || type?.isEmpty == true ? "resource_type" : "resource_id"
            )
        }
    }
}
