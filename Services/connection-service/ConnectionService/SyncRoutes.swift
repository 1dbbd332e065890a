import Foundation
import HubConnections
import HubConnectors
import HubCore
import HubRedis
import HubSync
import Hummingbird
import ServiceEdge

/// Sync configurations per connection and entity, triggering syncs, and the job history:
///
/// - `GET …/connections/{id}/sync-configs`, `GET`/`PUT …/connections/{id}/sync-configs/{entity}`
/// - `POST …/connections/{id}/sync` → 202 with the job(s); a pair with a job queued or running
///   gets **that** job back
/// - `GET …/connections/{id}/sync/jobs`, `GET /api/v1/integrations/sync/jobs/{job}`,
///   `GET /api/v1/integrations/sync/jobs/{job}/problems` (every record-level error and conflict,
///   paged), `POST /api/v1/integrations/sync/jobs/{job}/cancel`
///
/// Jobs are rows in PostgreSQL; their ids travel to the sync workers on `SyncJobStream`.
struct SyncRoutes {
    let lookup: ConnectionLookup
    let syncs: SyncRepository
    let redis: RedisClient

    var registry: ConnectorRegistry { lookup.registry }

    /// `connection` is the group `…/connections/:id`, `jobs` the group `…/sync/jobs`.
    func add(connection: RouterGroup<HubRequestContext>, jobs: RouterGroup<HubRequestContext>) {
        connection.get("sync-configs") { _, context -> ListResponse<SyncConfig> in
            let connection = try await lookup.live(context)
            return ListResponse(try await syncs.configs(organization: connection.organizationID, connection: connection.id))
        }
        connection.get("sync-configs/:entity") { _, context -> SyncConfig in
            let connection = try await lookup.live(context)
            let entity = try context.parameters.require("entity")
            _ = try lookup.entity(entity, of: connection)
            guard let config = try await syncs.config(organization: connection.organizationID, connection: connection.id, entity: entity)
            else { throw APIError.notFound("sync configuration") }
            return config
        }
        connection.put("sync-configs/:entity") { request, context -> SyncConfig in
            let connection = try await lookup.live(context)
            let entity = try context.parameters.require("entity")
            let body = try await request.decodeJSON(as: PutSyncConfigRequest.self, context: context)
            // Filters are stored, not applied: only what is stored already may be sent back.
            var stored: JSONValue?
            if body.filters?.objectValue?.isEmpty == false {
                stored = try await syncs.config(organization: connection.organizationID, connection: connection.id, entity: entity)?.filters
            }
            let change = try validate(body, entity: entity, of: connection, storedFilters: stored)
            return try await syncs.putConfig(by: try context.auditActor(), connection: connection.id, entity: entity, change)
        }
        connection.post("sync") { request, context -> EditedResponse<ListResponse<SyncJob>> in
            let connection = try await lookup.live(context)
            let body = try await request.decodeJSON(as: TriggerSyncRequest.self, context: context)
            let jobs = try await trigger(body, on: connection, by: try context.requireIdentity().subject)
            return EditedResponse(status: .accepted, response: ListResponse(jobs))
        }
        connection.get("sync/jobs") { request, context -> Page<SyncJob> in
            let connection = try await lookup.live(context)
            let page = try PageRequest(query: request.uri)
            let rows = try await syncs.jobs(organization: connection.organizationID, connection: connection.id, page: page)
            return Page(rows: rows, limit: page.limit, key: SyncRepository.cursorKey)
        }
        jobs.get(":job") { _, context -> SyncJob in
            let identity = try context.requireIdentity()
            guard let job = try await syncs.job(organization: identity.organizationID, id: try context.pathID("job", of: "sync job"))
            else { throw APIError.notFound("sync job") }
            return job
        }
        jobs.get(":job/problems") { request, context -> Page<SyncJobProblem> in
            let identity = try context.requireIdentity()
            let id = try context.pathID("job", of: "sync job")
            let page = try PageRequest(query: request.uri)
            guard
                let rows = try await syncs.problems(
                    organization: identity.organizationID,
                    job: id,
                    kind: try request.uri.queryParameters.enumeration("kind", as: SyncJobProblem.Kind.self),
                    after: try page.afterNumber() ?? 0,
                    limit: page.limit + 1
                )
            else { throw APIError.notFound("sync job") }
            return Page(rows: rows, limit: page.limit) { String($0.id) }
        }
        jobs.post(":job/cancel") { _, context -> SyncJob in
            let identity = try context.requireIdentity()
            let id = try context.pathID("job", of: "sync job")
            guard let job = try await syncs.cancel(organization: identity.organizationID, id: id, reason: "cancelled by \(identity.subject)")
            else { throw APIError.notFound("sync job") }
            return job
        }
    }

    // MARK: Steps

    func trigger(_ body: TriggerSyncRequest, on connection: Connection, by subject: String) async throws -> [SyncJob] {
        if connection.awaitsTenantChoice { throw ConnectionError.tenantChoiceRequired(count: connection.tenants.count) }
        guard connection.status == .connected else {
            throw APIError.conflict("the connection is \(connection.status.rawValue); sync needs it connected", code: "connection_not_connected")
        }
        let configs = try await syncs.configs(organization: connection.organizationID, connection: connection.id)
        var targets: [(entity: String, direction: SyncDirection)] = []
        if let entity = body.entity {
            let definition = try lookup.entity(entity, of: connection)
            let direction = body.direction ?? configs.first { $0.entity == entity }?.direction ?? .pull
            try Self.check(direction, on: definition)
            targets = [(entity, direction)]
        } else {
            targets = configs.filter(\.enabled).map { ($0.entity, body.direction ?? $0.direction) }
            guard !targets.isEmpty else {
                throw APIError.validation(
                    "the connection has no enabled sync configuration; name an entity or PUT a sync configuration first",
                    field: "entity"
                )
            }
        }
        var jobs: [SyncJob] = []
        for target in targets {
            let (job, created) = try await syncs.enqueue(
                organization: connection.organizationID,
                connection: connection.id,
                entity: target.entity,
                direction: target.direction,
                fullResync: body.fullResync ?? false,
                trigger: .manual,
                startedBy: subject
            )
            if created {
                // The row is the truth; an id Redis cannot take now is sent by the workers' scheduler.
                await SyncJobStream.publish([(job.id, connection.organizationID)], redis: redis, orMarkUnpublishedIn: syncs)
            } else if body.entity != nil, !Self.covers(job, target.direction, fullResync: body.fullResync ?? false) {
                // One job at a time per entity: a named request the active job does not do is
                // refused, not answered with a job of another kind as if it were the one asked for.
                let id = job.id.uuidString.lowercased()
                let active = "a \(job.fullResync ? "full " : "")\(job.direction.rawValue) of \(target.entity) is \(job.status.rawValue) (job \(id))"
                throw APIError(
                    .conflict,
                    code: "sync_in_progress",
                    message: "\(active); trigger the \(body.fullResync == true ? "full " : "")\(target.direction.rawValue) when it has finished",
                    details: ["job_id": .string(id)]
                )
            }
            jobs.append(job)
        }
        return jobs
    }

    /// Whether an active job does what a trigger asks: the same direction or a bidirectional one,
    /// and a full resync when one is asked for.
    static func covers(_ job: SyncJob, _ direction: SyncDirection, fullResync: Bool) -> Bool {
        (job.direction == direction || job.direction == .bidirectional) && (job.fullResync || !fullResync)
    }

    func validate(
        _ body: PutSyncConfigRequest,
        entity: String,
        of connection: Connection,
        storedFilters: JSONValue? = nil
    ) throws -> SyncRepository.ConfigChange {
        let definition = try lookup.entity(entity, of: connection)
        let direction = body.direction ?? .pull
        try Self.check(direction, on: definition)
        let schedule = body.schedule ?? .manual
        if schedule == .interval {
            guard let seconds = body.intervalSeconds, (60...604_800).contains(seconds) else {
                throw APIError.validation("'interval_seconds' must be 60 to 604800 with schedule 'interval'", field: "interval_seconds")
            }
        } else if body.intervalSeconds != nil {
            throw APIError.validation("'interval_seconds' goes only with schedule 'interval'", field: "interval_seconds")
        }
        if schedule == .realtime, let provider = registry.definition(id: connection.provider), !provider.capabilities.contains(.realtime) {
            throw APIError.validation("\(provider.displayName) sends no webhooks to sync on; choose another schedule", field: "schedule")
        }
        if let filters = body.filters, filters.objectValue == nil {
            throw APIError.validation("'filters' must be a JSON object", field: "filters")
        }
        // The hub syncs every record of an entity; a filter it would store and never apply would
        // make a user believe the sync is narrower than it is. A configuration stored with
        // filters before this check may send them back unchanged.
        if let filters = body.filters, filters.objectValue?.isEmpty == false, filters != storedFilters {
            throw APIError(
                .unprocessableContent,
                code: "filters_unsupported",
                message: "the hub does not filter what it syncs: every record of the entity is synced; leave 'filters' out or send {}",
                details: ["field": "filters"]
            )
        }
        let mappings = body.fieldMappings ?? [:]
        try validateMapping(mappings, entity: entity, of: connection)
        return SyncRepository.ConfigChange(
            direction: direction,
            schedule: schedule,
            intervalSeconds: body.intervalSeconds,
            filters: body.filters ?? [:],
            fieldMappings: mappings,
            conflictPolicy: body.conflictPolicy ?? .newestWins,
            enabled: body.enabled ?? true
        )
    }

    /// An override is checked now, merged over the connector's defaults, so a wrong path or
    /// transform is a 422 naming it (`field_mappings.rules[2].source`), never a failure at sync time.
    func validateMapping(_ mappings: JSONValue, entity: String, of connection: Connection) throws {
        guard let object = mappings.objectValue else {
            throw APIError.validation("'field_mappings' must be a JSON object like {\"rules\": [...]}", field: "field_mappings")
        }
        guard !object.isEmpty else { return }
        let override: FieldMapping
        let json = Data(mappings.encoded())
        do {
            override = try JSONDecoder.hub.decode(FieldMapping.self, from: json)
        } catch let error as DecodingError {
            throw RequestBodyDecoder.apiError(for: error, nestedAt: "field_mappings", body: json)
        }
        let connectorType = registry.connector(id: connection.provider) as? any DataConnector.Type
        do {
            // The override alone first, so a path names the organization's own rule.
            try override.validate(entity: entity)
        } catch {
            throw APIError.validation("field_mappings.\(error.path): \(error.message)", field: "field_mappings.\(error.path)")
        }
        do {
            try SyncMapping.effective(connectorType: connectorType, entity: entity, override: override).validate(entity: entity)
        } catch {
            // The merge's rule numbers are not the caller's: name their own rules, and the
            // connector's defaults as such.
            let defaults = SyncMapping.defaults(connectorType, entity)
            let origins = defaults.origins(overriddenBy: override)
            let merged = defaults.overriding(with: override)
            let label = { (index: Int) -> String in
                guard index < origins.count else { return "rules[\(index)]" }
                return origins[index].map { "rules[\($0)]" } ?? "the connector's default rule for '\(merged.rules[index].target)'"
            }
            let path = Self.relabel(error.path, label)
            let message = Self.relabel(error.message, label)
            let field = path.hasPrefix("the connector") ? "field_mappings" : "field_mappings.\(path)"
            throw APIError.validation("\(field): \(message)", field: field)
        }
    }

    /// `text` with each `rules[N]` replaced by `label(N)`.
    static func relabel(_ text: String, _ label: (Int) -> String) -> String {
        var result = ""
        var rest = Substring(text)
        while let range = rest.range(of: #"rules\[[0-9]+\]"#, options: .regularExpression) {
            result += rest[..<range.lowerBound]
            let digits = rest[range].dropFirst("rules[".count).dropLast()
            result += Int(digits).map(label) ?? String(rest[range])
            rest = rest[range.upperBound...]
        }
        return result + rest
    }

    /// Push needs the provider to accept writes of the entity; pull needs it readable.
    static func check(_ direction: SyncDirection, on definition: EntityDefinition) throws {
        let writes = definition.operations.contains(.create) || definition.operations.contains(.update)
        if direction != .pull && !writes {
            throw APIError.validation("'\(definition.name)' is read-only at the provider; only 'pull' is possible", field: "direction")
        }
        if direction != .push && !definition.operations.contains(.read) {
            throw APIError.validation("'\(definition.name)' cannot be read from the provider; only 'push' is possible", field: "direction")
        }
    }
}
