import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import W3CTraceContext

/// How one service calls another: one shared async-http-client, a deadline on every request, the
/// caller's request id and a child `traceparent` forwarded, and the service credential attached
/// for `/internal` routes. Failures come back typed, never as a raw NIO error.
public struct ServiceClient: Sendable {
    let httpClient: HTTPClient
    let baseURLs: [HubServiceKind: String]
    let internalToken: String
    public var timeout: Duration = .seconds(10)

    public init(httpClient: HTTPClient, baseURLs: [HubServiceKind: String], internalToken: String) {
        self.httpClient = httpClient
        self.baseURLs = baseURLs
        self.internalToken = internalToken
    }

    public struct Reply: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: Data
    }

    /// What the caller passes along so one user request can be followed across services.
    public struct Propagation: Sendable {
        public var requestID: String?
        public var trace: TraceContext?

        public init(requestID: String?, trace: TraceContext?) {
            self.requestID = requestID
            self.trace = trace
        }

        public init(context: HubRequestContext) {
            self.init(requestID: context.requestID, trace: context.traceContext)
        }
    }

    /// Sends a request to another service. `path` starting with `/internal` carries the service
    /// credential. The body, if any, is JSON. Responses up to 10 MiB are read.
    public func send(
        _ method: HTTPMethod,
        to service: HubServiceKind,
        path: String,
        json body: Data? = nil,
        propagation: Propagation,
        timeout: Duration? = nil
    ) async throws(ServiceCallError) -> Reply {
        guard let base = baseURLs[service] else { throw .unknownService(service) }
        var request = HTTPClientRequest(url: base.trimmingSuffix("/") + path)
        request.method = method
        request.headers = Self.headers(for: path, propagation: propagation, internalToken: internalToken)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let deadline = timeout ?? self.timeout
        do {
            let response = try await httpClient.execute(request, timeout: .nanoseconds(Int64(deadline.nanoseconds)))
            let bytes = try await response.body.collect(upTo: 10 << 20)
            return Reply(status: Int(response.status.code), headers: response.headers, body: Data(buffer: bytes))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw .timeout(service)
        } catch {
            throw .unreachable(service, String(describing: type(of: error)))
        }
    }

    static func headers(for path: String, propagation: Propagation, internalToken: String) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add(name: "Accept", value: "application/json")
        if let requestID = propagation.requestID, !requestID.isEmpty {
            headers.add(name: "X-Request-Id", value: requestID)
        }
        // A child span of the caller's trace, or a new trace when the caller had none.
        let parent = propagation.trace
        let child = TraceContext(
            traceID: parent?.traceID ?? .random(),
            spanID: .random(),
            flags: parent?.flags ?? .sampled,
            state: parent?.state ?? TraceState([])
        )
        headers.add(name: "traceparent", value: child.traceParentHeaderValue)
        if let state = child.traceStateHeaderValue, !state.isEmpty {
            headers.add(name: "tracestate", value: state)
        }
        if path.hasPrefix("/internal") {
            headers.add(name: "Authorization", value: "Bearer \(internalToken)")
        }
        return headers
    }
}

/// Why a call to another service failed.
public enum ServiceCallError: Error, Equatable, Sendable {
    case unknownService(HubServiceKind)
    case timeout(HubServiceKind)
    case unreachable(HubServiceKind, String)
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
