import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import W3CTraceContext

/// How one service calls another: one shared async-http-client, a deadline on every request, the
/// caller's request id and a child `traceparent` forwarded, and the service credential attached
/// for `/internal` routes. Idempotent calls are repeated with backoff when the peer cannot be
/// reached or answers 502/503/504, within the same deadline. Failures come back typed, never as a
/// raw NIO error.
public struct ServiceClient: Sendable {
    let httpClient: HTTPClient
    let baseURLs: [HubServiceKind: String]
    let internalToken: String
    /// The whole call's deadline, every attempt included.
    public var timeout: Duration = .seconds(10)
    public var retry = Retry()

    /// The client for calls between the hub's services: its connect timeout is two seconds. A peer
    /// that is down refuses the connection, and async-http-client tries connecting again until its
    /// connect timeout (or the request's deadline) has passed: with the shared client's, one attempt
    /// took the whole deadline, and a call to a stopped oauth-service failed only after 10 s. Now each
    /// attempt gives up after two seconds (room for one lost SYN, resent after a second) and the
    /// call's own retries decide. The same timeout bounds a wait for a pooled connection, so the
    /// pool has room for 64 calls in flight to one peer (relayed provider calls take seconds). A
    /// process-wide client, as `HTTPClient.shared` is, never shut down.
    public static let peerHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(2))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

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

        /// The request this task serves, set by `RequestIDMiddleware` for the handler's whole
        /// task; nil in background work (a sync job, a refresh loop), which starts its own trace.
        @TaskLocal public static var current: Propagation?

        /// The current request's, or nothing to forward.
        public static var inherited: Propagation { current ?? Propagation(requestID: nil, trace: nil) }
    }

    /// Sends a request to another service. `path` starting with `/internal` carries the service
    /// credential. The body, if any, is JSON. Responses up to 10 MiB are read.
    ///
    /// - Parameter idempotent: whether the call may be repeated; by default GET, HEAD, PUT,
    ///   DELETE and OPTIONS are. A POST the peer documents as idempotent passes `true`.
    /// - Returns: the peer's answer, whatever its status; a 502/503/504 only once retries are spent.
    public func send(
        _ method: HTTPMethod,
        to service: HubServiceKind,
        path: String,
        json body: Data? = nil,
        propagation: Propagation,
        timeout: Duration? = nil,
        idempotent: Bool? = nil
    ) async throws(ServiceCallError) -> Reply {
        guard let base = baseURLs[service] else { throw .unknownService(service) }
        var request = HTTPClientRequest(url: base.trimmingSuffix("/") + path)
        request.method = method
        // One request id and one span for every attempt: they are the same call.
        request.headers = Self.headers(for: path, propagation: propagation, internalToken: internalToken)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let clock = ContinuousClock()
        let deadline = clock.now + (timeout ?? self.timeout)
        let attempts = (idempotent ?? Self.isIdempotent(method)) ? max(1, retry.maxAttempts) : 1
        var attempt = 0
        while true {
            attempt += 1
            let outcome: Result<Reply, ServiceCallError>
            do {
                let remaining = deadline - clock.now
                guard remaining > .zero else { throw ServiceCallError.timeout(service) }
                let response = try await httpClient.execute(request, timeout: .nanoseconds(Int64(remaining.nanoseconds)))
                let bytes = try await response.body.collect(upTo: 10 << 20)
                outcome = .success(Reply(status: Int(response.status.code), headers: response.headers, body: Data(buffer: bytes)))
            } catch let error as ServiceCallError {
                outcome = .failure(error)
            } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
                outcome = .failure(.timeout(service))
            } catch {
                outcome = .failure(.unreachable(service, String(describing: type(of: error))))
            }
            let wait = retry.backoff(afterAttempt: attempt)
            guard attempt < attempts, Self.worthRepeating(outcome), clock.now + wait < deadline else { return try outcome.get() }
            do { try await Task.sleep(for: wait) } catch { return try outcome.get() }
        }
    }

    static func isIdempotent(_ method: HTTPMethod) -> Bool {
        switch method {
        case .GET, .HEAD, .PUT, .DELETE, .OPTIONS: true
        default: false
        }
    }

    /// A peer that could not be reached, or a gateway/replica saying it is momentarily unable,
    /// may answer the same call a moment later; any other answer is final.
    static func worthRepeating(_ outcome: Result<Reply, ServiceCallError>) -> Bool {
        switch outcome {
        case .success(let reply): [502, 503, 504].contains(reply.status)
        case .failure(.unreachable), .failure(.timeout): true
        case .failure(.unknownService): false
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

    /// A few words for logs and error messages.
    public var reason: String {
        switch self {
        case .unknownService(let service): "no address is configured for \(service.rawValue)"
        case .timeout(let service): "\(service.rawValue) did not answer in time"
        case .unreachable(let service, let kind): "\(service.rawValue) could not be reached (\(kind))"
        }
    }
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
