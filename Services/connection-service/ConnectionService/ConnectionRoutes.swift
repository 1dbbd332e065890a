import Foundation
import HubConnections
import HubConnectors
import HubCore
import Hummingbird
import HummingbirdCore
import ServiceEdge

/// The organization's connections: connect with an API key (or client credentials), list, read,
/// edit, test, disconnect, and read a connection's status history. OAuth and Plaid Link
/// connections are made by oauth-service and managed here like any other.
struct ConnectionRoutes {
    let lifecycle: ConnectionLifecycle
    let lookup: ConnectionLookup

    var repository: ConnectionRepository { lifecycle.repository }

    /// `connections` is the group `…/connections`, `connection` the group `…/connections/:id`.
    func add(connections: RouterGroup<HubRequestContext>, connection: RouterGroup<HubRequestContext>) {
        connections.post { request, context -> EditedResponse<Connection> in
            let actor = try context.auditActor()
            let body = try await request.decodeJSON(as: CreateConnectionRequest.self, context: context)
            let connection = try await create(body, actor: actor)
            return EditedResponse(
                status: .created,
                headers: [.location: "/api/v1/integrations/connections/\(connection.id.uuidString.lowercased())"],
                response: connection
            )
        }
        connections.get { request, context -> Page<Connection> in
            let identity = try context.requireIdentity()
            let page = try PageRequest(query: request.uri)
            let filter = try Self.filter(request.uri)
            let rows = try await repository.list(organization: identity.organizationID, filter: filter, page: page)
            return Page(rows: rows, limit: page.limit, key: ConnectionRepository.cursorKey)
        }
        connection.get { _, context -> Connection in
            try await lookup.connection(context)
        }
        connection.patch { request, context -> Connection in
            let actor = try context.auditActor()
            let connection = try await lookup.live(context)
            let body = try await request.decodeJSON(as: UpdateConnectionRequest.self, context: context)
            return try await update(connection, with: body, actor: actor)
        }
        connection.delete { _, context -> Connection in
            let actor = try context.auditActor()
            return try await lifecycle.disconnect(try await lookup.connection(context), actor)
        }
        connection.post("test") { _, context -> ConnectionTestResult in
            let actor = try context.auditActor()
            return try await lifecycle.test(try await lookup.live(context), actor: actor)
        }
        connection.get("history") { _, context -> ListResponse<ConnectionStatusChange> in
            let connection = try await lookup.connection(context)
            return ListResponse(try await repository.history(organization: connection.organizationID, id: connection.id))
        }
    }

    // MARK: Steps

    func create(_ body: CreateConnectionRequest, actor: ConnectionLifecycle.Actor) async throws -> Connection {
        guard let definition = lifecycle.factory.registry.definition(id: body.provider) else {
            throw APIError.validation(
                "unknown provider '\(body.provider)'; the catalog lists: \(lifecycle.factory.registry.ids.joined(separator: ", "))",
                field: "provider"
            )
        }
        switch definition.auth.kind {
        case .apiKey, .oauth2ClientCredentials:
            break
        case .oauth2AuthorizationCode:
            throw APIError(
                .unprocessableContent,
                code: "oauth_required",
                message: "\(definition.displayName) connects through OAuth: GET /api/v1/integrations/oauth/\(definition.id)/authorize",
                details: ["field": "provider"]
            )
        case .plaidLink:
            throw APIError(
                .unprocessableContent,
                code: "plaid_link_required",
                message: "\(definition.displayName) connects through Plaid Link: POST /api/v1/integrations/oauth/plaid/link-token",
                details: ["field": "provider"]
            )
        }
        guard lifecycle.factory.testableType(definition.id) != nil else {
            throw APIError(
                .unprocessableContent,
                code: "provider_not_available",
                message: "\(definition.displayName) connections cannot be made yet",
                details: ["field": "provider"]
            )
        }
        try ConnectionInput.validateName(body.name)
        try ConnectionInput.validateSettings(body.settings)
        let entered = Self.trimmed(body.credentials ?? [:])
        try definition.auth.validateEntered(entered)
        do {
            return try await lifecycle.connect(
                actor,
                provider: definition.id,
                name: body.name,
                settings: body.settings ?? [:],
                fields: SecretFields(entered)
            )
        } catch let error as ConnectionRepository.AlreadyConnected {
            throw APIError.conflict(
                "the organization already has a \(error.provider) connection; disconnect it first or update its credentials",
                code: "already_connected"
            )
        }
    }

    func update(_ connection: Connection, with body: UpdateConnectionRequest, actor: ConnectionLifecycle.Actor) async throws -> Connection {
        try ConnectionInput.validateName(body.name)
        try ConnectionInput.validateSettings(body.settings)
        var entered: [String: String]?
        if let credentials = body.credentials {
            guard let definition = lifecycle.factory.registry.definition(id: connection.provider),
                definition.auth.kind == .apiKey || definition.auth.kind == .oauth2ClientCredentials
            else {
                throw APIError.validation(
                    "\(connection.provider) credentials come from its authorization flow; connect again to replace them",
                    field: "credentials"
                )
            }
            entered = Self.trimmed(credentials)
            try definition.auth.validateEntered(entered!)
        }
        var current = connection
        if body.name != nil || body.settings != nil || body.syncEnabled != nil {
            current = try await lifecycle.update(
                connection,
                actor,
                name: body.name?.trimmingWhitespace(),
                settings: body.settings,
                syncEnabled: body.syncEnabled
            )
        }
        if let entered {
            try await lifecycle.replaceCredentials(current, actor, fields: SecretFields(entered))
            current = try await repository.get(organization: actor.organizationID, id: connection.id) ?? current
        }
        return current
    }

    // MARK: Helpers

    static func filter(_ uri: URI) throws -> ConnectionRepository.Filter {
        let query = uri.queryParameters
        var filter = ConnectionRepository.Filter()
        if let provider = query["provider"].map(String.init), !provider.isEmpty {
            guard provider.utf8.count <= 64, !provider.contains("\u{0}") else {
                throw APIError.validation("'provider' is not a provider id", field: "provider")
            }
            filter.provider = provider
        }
        // An empty `status=` is not a status either (the document lists the five).
        filter.status = try query.enumeration("status", as: ConnectionStatus.self)
        if let raw = query["include_disconnected"].map(String.init) {
            guard let include = Bool(raw) else {
                throw APIError.validation("'include_disconnected' must be true or false", field: "include_disconnected")
            }
            filter.includeDisconnected = include
        }
        return filter
    }

    static func trimmed(_ values: [String: String]) -> [String: String] {
        values.mapValues { $0.trimmingWhitespace() }.filter { !$0.value.isEmpty }
    }
}
