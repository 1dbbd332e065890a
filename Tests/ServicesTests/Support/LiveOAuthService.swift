import AsyncHTTPClient
import Foundation
import HubCore
import HubTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import OAuthService
import ServiceLifecycle
import SyncWorker
import Synchronization

/// oauth-service's routes on a real loopback socket beside a test's other services, sharing their
/// database, Redis, vault keys, user-token secret and service token: the instance the other
/// services' `RemoteTokenSource` calls. Only it is given the providers' client secrets.
struct LiveOAuthService: Sendable {
    /// oauth-service's own harness (its hub, an in-process client) for the OAuth routes.
    let service: ServiceHarness
    let port: Int

    var url: String { "http://127.0.0.1:\(port)" }

    /// - Parameters:
    ///   - port: where to listen: the other services were configured with it before it started
    ///     (HummingbirdTesting's `.live` would pick its own port, hence a server of our own).
    ///   - environment: the shared settings (`DATABASE_URL`, `REDIS_URL`, the secrets,
    ///     `HUB_PROVIDER_SANDBOX_URL`) plus the client registrations.
    static func run(
        port: Int,
        environment: [String: String],
        sandboxPort: Int,
        _ body: @Sendable (LiveOAuthService) async throws -> Void
    ) async throws {
        let hub = try await TestHub.make(service: .oauth, environment: environment)
        let openAPI = try OAuthService.openAPI()
        @Sendable func router() -> Router<HubRequestContext> {
            HubApplication.buildRouter(dependencies: hub.dependencies, openAPI: openAPI) {
                OAuthService.addRoutes(to: $0, dependencies: hub.dependencies)
            }
        }
        let app = Application(router: router(), services: [hub.dependencies.postgres, hub.dependencies.redis])
        try await app.test(.router) { client in
            // The same routes once more on a socket; the stores run as services of the app above.
            let live = Application(router: router(), configuration: .init(address: .hostname("127.0.0.1", port: port)))
            let failure = Mutex<String?>(nil)
            let serving = Task {
                do {
                    try await live.runService()
                } catch {
                    failure.withLock { $0 = String(describing: error) }
                    throw error
                }
            }
            do {
                try await Self.waitUntilListening(port: port) { failure.withLock { $0 } }
                try await body(LiveOAuthService(service: ServiceHarness(hub: hub, sandboxPort: sandboxPort, client: client), port: port))
            } catch {
                serving.cancel()
                _ = await serving.result
                throw error
            }
            serving.cancel()
            _ = await serving.result
        }
    }

    /// Until `/healthz` answers on the port; a server that stopped (it could not bind) or did not
    /// answer within 10 s fails the test with the reason.
    static func waitUntilListening(port: Int, failure: () -> String?) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz")
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(1)), response.status == .ok { return }
            if let failure = failure() { throw LiveOAuthServiceError("oauth-service on port \(port) stopped: \(failure)") }
            guard ContinuousClock.now < deadline else { throw LiveOAuthServiceError("oauth-service on port \(port) did not answer in 10 s") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

struct LiveOAuthServiceError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

extension SyncHarness {
    /// Runs `body` while one sync worker configured as the `sync-worker` process is (its own
    /// configuration: no client secret, oauth-service at `oauthURL`) runs in this process.
    func withSyncWorkerProcessConfiguration(
        oauthURL: String,
        extra: [String: String] = [:],
        _ body: @Sendable (TestHub) async throws -> Void
    ) async throws {
        var environment = self.environment.merging(extra) { _, new in new }
        environment["HUB_SERVICE_URL_OAUTH"] = oauthURL
        let worker = try await TestHub.make(service: .syncWorker, environment: environment)
        let services: [any Service] =
            [worker.dependencies.postgres, worker.dependencies.redis]
            + SyncWorker.backgroundServices(worker.dependencies, name: "split-worker")
        try await Self.running(services) { try await body(worker) }
    }
}
