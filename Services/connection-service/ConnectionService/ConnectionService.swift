import HubConnections
import HubCore
import HubSync
import HubWebhooks
import Hummingbird

/// Connections, credentials, sync configurations and synced records.
///
/// Serves the organization's connections (API-key connect, test, edit, disconnect, history) and
/// its audit log, sync configurations, sync triggers and the job history, and the synced records
/// with their local writes.
public enum ConnectionService {
    public static func buildApplication(dependencies: HubDependencies) throws -> some ApplicationProtocol {
        HubApplication.build(dependencies: dependencies, openAPI: try openAPI()) { routes in
            addRoutes(to: routes, dependencies: dependencies)
        }
    }

    /// The service's own routes, on the groups `HubApplication` prepared.
    public static func addRoutes(to routes: HubRoutes, dependencies: HubDependencies) {
        AuditLogRoutes(repository: AuditLogRepository(client: dependencies.postgres, logger: dependencies.logger))
            .add(to: routes.api)
        let lifecycle = ConnectionLifecycle(dependencies: dependencies)
        let lookup = ConnectionLookup(repository: lifecycle.repository, registry: lifecycle.factory.registry)
        let connections = routes.api.group("integrations/connections")
        let connection = connections.group(":id")
        ConnectionRoutes(lifecycle: lifecycle, lookup: lookup).add(connections: connections, connection: connection)
        TenantRoutes(lifecycle: lifecycle, lookup: lookup).add(to: connection)
        SyncRoutes(lookup: lookup, syncs: SyncRepository(client: dependencies.postgres, logger: dependencies.logger), redis: dependencies.redis)
            .add(connection: connection, jobs: routes.api.group("integrations/sync/jobs"))
        let records = RecordStore(client: dependencies.postgres, logger: dependencies.logger)
        RecordRoutes(lookup: lookup, records: records).add(to: connection.group("records/:entity"))
        ZapierActionRoutes(lookup: lookup, records: records)
            .add(to: routes.zapier(keys: ZapierKeyStore(client: dependencies.postgres, logger: dependencies.logger)))
        SlackRoutes(
            lifecycle: lifecycle,
            lookup: lookup,
            notifications: SubscriptionRepository(
                client: dependencies.postgres,
                vault: dependencies.configuration.vault(),
                logger: dependencies.logger
            ),
            catalog: EventCatalog(registry: lifecycle.factory.registry)
        )
        .add(to: connection.group("slack"))
    }

    /// The service's published OpenAPI document.
    public static func openAPI() throws -> OpenAPIDocument {
        try OpenAPIDocument(bundle: .module)
    }
}
