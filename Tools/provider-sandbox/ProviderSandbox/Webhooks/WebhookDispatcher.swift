import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Sends a provider's signed webhooks to the endpoints registered for it (through the admin API,
/// as a provider's dashboard would), and keeps what it sent so tests can inspect it.
public final class WebhookDispatcher: Sendable {
    public struct Sent: Sendable {
        public var url: String
        public var headers: HTTPHeaders
        public var body: [UInt8]
        /// The receiver's status, or nil when it could not be reached.
        public var status: Int?
    }

    private struct State {
        var endpoints: [String: [String]] = [:]
        var sent: [String: [Sent]] = [:]
    }

    private let state = Mutex(State())
    let httpClient: HTTPClient

    public init(httpClient: HTTPClient = .shared) {
        self.httpClient = httpClient
    }

    public func register(_ url: String, for provider: String) {
        state.withLock { state in
            if !(state.endpoints[provider] ?? []).contains(url) { state.endpoints[provider, default: []].append(url) }
        }
    }

    public func endpoints(for provider: String) -> [String] {
        state.withLock { $0.endpoints[provider] ?? [] }
    }

    public func sent(for provider: String) -> [Sent] {
        state.withLock { $0.sent[provider] ?? [] }
    }

    /// Posts `body` with `headers` to every endpoint registered for `provider`, once each (a
    /// provider's retries are not emulated). Returns when every endpoint answered or failed.
    public func dispatch(provider: String, headers: HTTPHeaders, body: [UInt8]) async {
        await dispatch(provider: provider, to: endpoints(for: provider), headers: headers, body: body)
    }

    /// Posts to exactly `urls`, recording each delivery under `provider`: for providers whose own
    /// API registers endpoints too (Shopify's `webhooks.json`, Plaid's Item webhook URL), which
    /// pass those together with `endpoints(for:)`.
    public func dispatch(provider: String, to urls: [String], headers: HTTPHeaders, body: [UInt8]) async {
        for url in urls {
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers = headers
            request.body = .bytes(ByteBuffer(bytes: body))
            var status: Int?
            if let response = try? await httpClient.execute(request, timeout: .seconds(10)) {
                status = Int(response.status.code)
                _ = try? await response.body.collect(upTo: 1 << 20)
            }
            let record = Sent(url: url, headers: headers, body: body, status: status)
            state.withLock { $0.sent[provider, default: []].append(record) }
        }
    }
}
