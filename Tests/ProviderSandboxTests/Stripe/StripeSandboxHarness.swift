import AsyncHTTPClient
import Foundation
import HubCore
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import ProviderSandbox
import XCTest

@testable import HubConnectors

/// A provider sandbox listening on a free loopback port for one test, with helpers to call the
/// emulated Stripe API and the admin API, and to build a connector pointed at it.
struct StripeSandboxHarness: Sendable {
    let port: Int
    let sandbox: ProviderSandbox

    static let apiKey = "sk_test_sandbox"
    static let webhookSecret = "whsec_sandbox_stripe"

    /// Runs `body` against a fresh sandbox seeded with `volume` objects per entity.
    static func run<Value: Sendable>(volume: Int = 25, _ body: @Sendable (StripeSandboxHarness) async throws -> Value) async throws -> Value {
        var configuration = SandboxConfiguration()
        configuration.volume = volume
        // Only Stripe is mounted: the other emulated providers have their own tests.
        let webhooks = WebhookDispatcher()
        let sandbox = ProviderSandbox(
            configuration: configuration,
            providers: [StripeSandbox(configuration: configuration, webhooks: webhooks)],
            webhooks: webhooks
        )
        return try await sandbox.buildApplication().test(.live) { client in
            try await body(StripeSandboxHarness(port: client.port!, sandbox: sandbox))
        }
    }

    var baseURL: String { "http://localhost:\(port)/stripe" }

    /// A connector with short backoff (tests must not sleep long) but the real transport.
    func connector(apiKey: String = Self.apiKey, retry: RetryPolicy? = nil) -> StripeConnector {
        let policy = retry ?? RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(5), maxDelay: .milliseconds(40), maxRetryAfter: .seconds(5))
        let context = ConnectorContext(credentials: ["api_key": apiKey], baseURL: baseURL, transport: ProviderTransport(retry: policy))
        return StripeConnector(context: context)
    }

    // MARK: Raw HTTP

    struct Reply: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]

        var json: JSONValue { (try? JSONDecoder().decode(JSONValue.self, from: Data(body))) ?? .null }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// A request to the emulated API (`path` starts with `/v1/`), form-encoded like Stripe's clients.
    func stripe(
        _ method: HTTPMethod,
        _ path: String,
        form: String? = nil,
        apiKey: String? = Self.apiKey,
        headers: HTTPHeaders = [:]
    ) async throws -> Reply {
        var all = headers
        if let apiKey { all.add(name: "Authorization", value: "Bearer \(apiKey)") }
        if form != nil { all.add(name: "Content-Type", value: "application/x-www-form-urlencoded") }
        return try await send(method, baseURL + path, body: form.map { Array($0.utf8) }, headers: all)
    }

    /// A request to the sandbox's admin API (`path` after `/_admin/`) with a JSON body.
    func admin(_ method: HTTPMethod, _ path: String, json: String? = nil) async throws -> Reply {
        let headers: HTTPHeaders = json == nil ? [:] : ["Content-Type": "application/json"]
        return try await send(method, "http://localhost:\(port)/_admin/\(path)", body: json.map { Array($0.utf8) }, headers: headers)
    }

    func send(_ method: HTTPMethod, _ url: String, body: [UInt8]?, headers: HTTPHeaders) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers = headers
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Array(buffer: collected))
    }

    // MARK: Admin shortcuts

    /// Every id of a Stripe list (`customers`, `balance_transactions`), newest first.
    func ids(_ resource: String) async throws -> [String] {
        let reply = try await admin(.GET, "stripe/ids/\(resource)")
        return reply.json.stripeArrayOfStrings
    }

    func setFaults(_ json: String) async throws {
        let reply = try await admin(.PUT, "faults/stripe", json: json)
        XCTAssertEqual(reply.status, 200, reply.text)
    }

    func requestCount() async throws -> Int {
        let reply = try await admin(.GET, "stats/stripe")
        guard case .object(let stats) = reply.json, case .number(let total) = stats["total"] else { return -1 }
        return Int(total)
    }
}

extension JSONValue {
    /// A JSON array of strings as `[String]` (empty for anything else).
    var stripeArrayOfStrings: [String] {
        guard case .array(let values) = self else { return [] }
        return values.compactMap { value in
            if case .string(let text) = value { return text }
            return nil
        }
    }
}
