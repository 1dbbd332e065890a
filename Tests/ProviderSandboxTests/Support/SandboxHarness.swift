import HubConnectors
import HummingbirdTesting
import NIOHTTP1
import ProviderSandbox

/// What every provider's test harness starts from: the sandbox in-process on a free port beside a
/// recording webhook endpoint. A harness adds its provider's connectors and admin calls.
protocol SandboxHarness: Sendable {
    var port: Int { get }
    init(port: Int, inboxPort: Int, inbox: WebhookInbox)
    /// Headers `request` sends unless told otherwise (a provider's seeded token); none by default.
    static var apiHeaders: HTTPHeaders { get }
}

enum SandboxHarnessError: Error {
    case noPort
    case unexpected(String)
}

extension SandboxHarness {
    /// Retries quickly: these tests are about what is retried, not how long backoff waits.
    static var fastRetry: RetryPolicy {
        RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20))
    }

    /// Runs `body` with a sandbox seeded at `volume` records per entity and an empty inbox.
    static func start(volume: Int, _ body: @Sendable (Self) async throws -> Void) async throws {
        var configuration = SandboxConfiguration()
        configuration.port = 0
        configuration.volume = volume
        let sandbox = ProviderSandbox(configuration: configuration)
        let inbox = WebhookInbox()
        try await inbox.application().test(.live) { inboxClient in
            try await sandbox.buildApplication().test(.live) { client in
                guard let port = client.port, let inboxPort = inboxClient.port else { throw SandboxHarnessError.noPort }
                try await body(Self(port: port, inboxPort: inboxPort, inbox: inbox))
            }
        }
    }

    static var apiHeaders: HTTPHeaders { [:] }

    /// Sends a request to the sandbox (`/_admin/…` or an API path), with `apiHeaders` unless
    /// `headers` are given, and returns status, body and headers.
    @discardableResult
    func request(
        _ method: HTTPMethod,
        _ path: String,
        json: String? = nil,
        headers: HTTPHeaders? = nil
    ) async throws -> (status: Int, body: String, headers: HTTPHeaders) {
        try await SandboxRequest.send(port: port, method, path, json: json, headers: headers ?? Self.apiHeaders)
    }
}
