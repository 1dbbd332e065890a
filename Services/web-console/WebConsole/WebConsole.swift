import Foundation
import HubCore
import Hummingbird

/// The integrations console: HTML pages for an organization's admin, rendered on the server from
/// the other services' public APIs (a backend-for-frontend). It keeps only browser sessions
/// (Redis); everything shown comes from the APIs, called as the signed-in organization.
public enum WebConsole {
    public static func buildApplication(dependencies: HubDependencies) async throws -> some ApplicationProtocol {
        let console = try await makeConsole(dependencies: dependencies)
        return try HubApplication.build(dependencies: dependencies, openAPI: try openAPI()) { routes in
            try addRoutes(to: routes, console: console)
        }
    }

    static func makeConsole(dependencies: HubDependencies) async throws -> Console {
        Console(
            renderer: try await PageRenderer.bundled(),
            sessions: SessionStore(redis: dependencies.redis),
            links: SignInLinkStore(redis: dependencies.redis),
            // The peers' client: a stopped service's refused connection fails in two seconds, not
            // at the page's deadline (the shared client kept retrying it for 50 s).
            api: HubAPI(httpClient: ServiceClient.peerHTTPClient, baseURLs: dependencies.configuration.serviceURLs),
            verifier: dependencies.tokenVerifier,
            attempts: OAuthAttemptStore(redis: dependencies.redis),
            origin: dependencies.configuration.uiOrigin,
            plaidLinkScript: PlaidLinkPages.scriptURL(sandboxURL: dependencies.configuration.providers.sandboxURL)
        )
    }

    /// The pages on the root router, behind the HTML error page, the same-origin check and the
    /// security headers; static files under `/static`.
    static func addRoutes(to routes: HubRoutes, console: Console) throws {
        guard let publicFolder = Bundle.module.url(forResource: "Public", withExtension: nil) else {
            throw ConsoleSetupError("the Public folder is missing from the web console's bundle")
        }
        // On the router itself: a static file matches no route, and only the router's own
        // middleware runs for such a request.
        routes.router.add(middleware: ConsoleNotFoundMiddleware(console: console))
        routes.router.add(middleware: FileMiddleware(publicFolder.path, urlBasePath: "/static"))
        let pages = routes.router.group()
            .add(middleware: SecurityHeadersMiddleware())
            .add(middleware: ConsolePageErrorMiddleware(console: console))
            .add(middleware: SameOriginMiddleware(origin: console.origin))
        SignInRoutes(console: console).add(to: pages, internal: routes.internal)
        CatalogPages(console: console).add(to: pages)
        ConnectPages(console: console).add(to: pages)
        PlaidLinkPages(console: console).add(to: pages)
        ConnectionPages(console: console).add(to: pages)
        SlackPages(console: console).add(to: pages)
        SyncPages(console: console).add(to: pages)
        MappingPages(console: console).add(to: pages)
        RecordPages(console: console).add(to: pages)
        WebhookPages(console: console).add(to: pages)
        ZapierPages(console: console).add(to: pages)
    }

    /// The console's published OpenAPI document: its operational and internal routes only.
    public static func openAPI() throws -> OpenAPIDocument {
        try OpenAPIDocument(bundle: .module)
    }
}
