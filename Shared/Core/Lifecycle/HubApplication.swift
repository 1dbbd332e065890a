import HubRedis
import Hummingbird
import Logging
import ServiceLifecycle

/// The route groups a service adds its handlers to. The middleware that guards each group is
/// already in place, so a handler cannot forget authentication by accident.
public struct HubRoutes {
    /// Public routes outside any group (inbound provider webhooks, OAuth callbacks).
    public let router: Router<HubRequestContext>
    /// `/api/v1`: a valid user JWT is required; `context.identity` is set.
    public let api: RouterGroup<HubRequestContext>
    /// `/internal`: only the service credential is accepted.
    public let `internal`: RouterGroup<HubRequestContext>

    /// `/api/v1/integrations/zapier`, authenticated by an organization's Zapier API key instead of a
    /// user token (`context.identity` is the key's organization, `context.zapierKey` the key).
    public func zapier(keys: ZapierKeyStore) -> RouterGroup<HubRequestContext> {
        router.group("api/v1/integrations/zapier").add(middleware: ZapierKeyMiddleware(keys: keys))
    }
}

/// Assembles a service: the common middleware (request ids, metrics, error envelope), the
/// operational routes (`/healthz`, `/readyz`, `/metrics`, `/openapi.json`), the service's own
/// routes, and the background services that run beside the HTTP server.
public enum HubApplication {
    public static func buildRouter(
        dependencies: HubDependencies,
        openAPI: OpenAPIDocument,
        routes addRoutes: (HubRoutes) throws -> Void
    ) rethrows -> Router<HubRequestContext> {
        let router = Router(context: HubRequestContext.self)
        router.add(middleware: RequestIDMiddleware(maxBodyBytes: dependencies.configuration.maxBodyBytes))
        router.add(middleware: AccessLogMiddleware())
        router.add(middleware: RequestMetricsMiddleware())
        router.add(middleware: ErrorMiddleware())
        let routes = MethodNotAllowedMiddleware.Routes()
        router.add(middleware: MethodNotAllowedMiddleware(routes: routes))
        OperationalRoutes(readiness: dependencies.readiness, openAPI: openAPI).add(to: router)
        let api = router.group("api/v1").add(middleware: UserAuthMiddleware(verifier: dependencies.tokenVerifier))
        let internalGroup = router.group("internal").add(
            middleware: InternalAuthMiddleware(token: dependencies.configuration.auth.internalToken)
        )
        try addRoutes(HubRoutes(router: router, api: api, internal: internalGroup))
        routes.load(router.routes)
        return router
    }

    /// The runnable application: PostgreSQL and Redis clients and `backgroundServices` run in the
    /// same service group as the HTTP server and shut down after it, in reverse order. Migrations
    /// (when enabled) run before the server accepts requests and before `backgroundServices` start;
    /// until then `/readyz` says pending.
    public static func build(
        dependencies: HubDependencies,
        openAPI: OpenAPIDocument,
        backgroundServices: [any Service] = [],
        routes: (HubRoutes) throws -> Void
    ) rethrows -> some ApplicationProtocol {
        let router = try buildRouter(dependencies: dependencies, openAPI: openAPI, routes: routes)
        let configuration = dependencies.configuration
        var app = Application(
            responder: RequestDeadlineResponder(
                router.buildResponder(),
                deadline: .seconds(configuration.requestDeadlineSeconds),
                logger: dependencies.logger
            ),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: configuration.service.rawValue
            ),
            services: [dependencies.postgres, dependencies.redis]
                + backgroundServices.map { AfterMigrations(service: $0, readiness: dependencies.readiness) },
            logger: dependencies.logger
        )
        app.beforeServerStarts {
            if configuration.runMigrations {
                try await Migrator(client: dependencies.postgres, logger: dependencies.logger)
                    .migrate(Migration.bundled())
            }
            dependencies.readiness.markMigrated()
            dependencies.logger.info(
                "listening",
                metadata: ["host": "\(configuration.host)", "port": "\(configuration.port)"]
            )
        }
        return app
    }
}
