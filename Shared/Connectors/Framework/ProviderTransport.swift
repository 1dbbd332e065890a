import AsyncHTTPClient
import Foundation
import HubCore
import Logging
import Metrics
import NIOCore
import NIOHTTP1

/// A request to a provider, before the transport adds retries and accounting.
public struct ProviderRequest: Sendable {
    public var method: HTTPMethod
    public var url: String
    public var headers: HTTPHeaders
    public var body: [UInt8]?
    /// Safe to send twice: GETs, and writes that carry an idempotency key the provider honours.
    public var isIdempotent: Bool
    public var timeout: Duration

    public init(
        method: HTTPMethod,
        url: String,
        headers: HTTPHeaders = [:],
        body: [UInt8]? = nil,
        isIdempotent: Bool? = nil,
        timeout: Duration = .seconds(30)
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.isIdempotent = isIdempotent ?? (method == .GET || method == .HEAD)
        self.timeout = timeout
    }
}

public struct ProviderResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// `Retry-After`, when present and readable (seconds or an HTTP date), at most
    /// `longestRetryAfter`.
    public var retryAfter: Duration? {
        guard let raw = headers.first(name: "Retry-After"), let seconds = RetryAfter.seconds(raw) else { return nil }
        return .milliseconds(Int(min(seconds, Self.longestRetryAfter) * 1000))
    }

    /// The longest wait, in seconds, a provider's `Retry-After` imposes: a sync job holds its
    /// lock while it waits, so a longer ask is cut to this and the job's retry budget decides
    /// (and a value such as `1e300` cannot overflow the conversion).
    public static let longestRetryAfter: Double = 900
}

/// The one way connectors reach providers: a shared async-http-client, a deadline on every
/// request, retries with backoff and jitter for requests that are safe to repeat, `Retry-After`
/// honoured, and a metric for every call by provider, entity and outcome.
///
/// Connectors give it a `classify` function that reads the provider's error bodies; the
/// transport decides what is retried from the resulting `ConnectorError`.
public struct ProviderTransport: Sendable {
    let httpClient: HTTPClient
    public var retry: RetryPolicy
    let logger: Logger
    /// Waits between attempts; tests replace it to run without sleeping.
    let sleep: @Sendable (Duration) async throws -> Void
    /// For a provider that wants the hub's client credentials in the body (Plaid): added here,
    /// or the call relayed to the process that holds them. Nil for every other provider.
    public var bodyCredentials: BodyClientCredentials?

    public init(
        httpClient: HTTPClient = .shared,
        retry: RetryPolicy = RetryPolicy(),
        logger: Logger = Logger(label: "provider-transport"),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.httpClient = httpClient
        self.retry = retry
        self.logger = logger
        self.sleep = sleep
    }

    /// Sends `request`, retrying per the policy. Returns a 2xx response or throws the classified
    /// error of the last attempt.
    public func send(
        _ request: ProviderRequest,
        provider: String,
        entity: String,
        classify: @Sendable (ProviderResponse) -> ConnectorError
    ) async throws(ConnectorError) -> ProviderResponse {
        var attempt = 0
        while true {
            attempt += 1
            let started = ContinuousClock.now
            let outcome: Result<ProviderResponse, ConnectorError>
            do {
                let response = try await dispatch(request, provider: provider)
                outcome = (200..<300).contains(response.status) ? .success(response) : .failure(classify(response))
            } catch {
                outcome = .failure(error)
            }
            record(provider: provider, entity: entity, outcome: outcome, duration: ContinuousClock.now - started)
            switch outcome {
            case .success(let response):
                return response
            case .failure(let error):
                guard let wait = delay(before: attempt + 1, after: error, request: request) else { throw error }
                logger.debug(
                    "retrying provider call",
                    metadata: [
                        "provider": "\(provider)", "entity": "\(entity)", "attempt": "\(attempt)", "wait_ms": "\(wait.components.seconds * 1000)",
                    ]
                )
                do { try await sleep(wait) } catch { throw .network("cancelled while waiting to retry") }
            }
        }
    }

    /// How long to wait before `attempt`, or nil to give up now.
    func delay(before attempt: Int, after error: ConnectorError, request: ProviderRequest) -> Duration? {
        // The relay (`ServiceClient`) already retried within its deadline: no second layer here.
        guard attempt <= retry.maxAttempts, error.isRetryable, error.relayFailure == nil else { return nil }
        switch error {
        case .rateLimited(let retryAfter?):
            // The provider said when: wait that long (if reasonable), whatever the method, since
            // a 429 means the request was not processed.
            return retryAfter <= retry.maxRetryAfter ? retryAfter : nil
        case .rateLimited(nil):
            return retry.backoff(afterAttempt: attempt - 1)
        default:
            // A 5xx or a lost connection may have been processed: repeat only what is safe twice.
            return request.isIdempotent ? retry.backoff(afterAttempt: attempt - 1) : nil
        }
    }

    /// One attempt, whatever the provider answers (the relay's own sending, which leaves
    /// retrying and classifying to the caller), counted like any other call.
    public func sendOnce(_ request: ProviderRequest, provider: String, entity: String) async throws(ConnectorError) -> ProviderResponse {
        let started = ContinuousClock.now
        let outcome: Result<ProviderResponse, ConnectorError>
        do {
            outcome = .success(try await dispatch(request, provider: provider))
        } catch {
            outcome = .failure(error)
        }
        record(provider: provider, entity: entity, outcome: outcome, duration: ContinuousClock.now - started)
        return try outcome.get()
    }

    /// The request with the body credentials added, or relayed to the process that adds them.
    func dispatch(_ request: ProviderRequest, provider: String) async throws(ConnectorError) -> ProviderResponse {
        switch bodyCredentials {
        case nil:
            return try await execute(request)
        case .added(let fields)?:
            guard case .object(var body)? = JSONReader.parse(request.body ?? []) else {
                throw .validation(message: "the request body is not a JSON object", field: nil)
            }
            for (name, value) in fields { body[name] = .string(value) }
            var signed = request
            signed.body = JSONValue.object(body).encoded()
            return try await execute(signed)
        case .relayed(let relay, let apiBase)?:
            guard request.url.hasPrefix(apiBase + "/") else { throw .unsupported("\(provider) calls outside its API cannot be relayed") }
            return try await relay.forward(request, provider: provider, path: String(request.url.dropFirst(apiBase.count + 1)))
        }
    }

    func execute(_ request: ProviderRequest) async throws(ConnectorError) -> ProviderResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = request.method
        outgoing.headers = request.headers
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await httpClient.execute(outgoing, timeout: .milliseconds(Int64(request.timeout.components.seconds * 1000)))
            let body = try await response.body.collect(upTo: 64 << 20)
            return ProviderResponse(status: Int(response.status.code), headers: response.headers, body: Array(buffer: body))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw .network("timed out")
        } catch {
            throw .network("connection failed")
        }
    }

    func record(provider: String, entity: String, outcome: Result<ProviderResponse, ConnectorError>, duration: Duration) {
        let label: String
        switch outcome {
        case .success: label = "success"
        case .failure(let error): label = error.metricLabel
        }
        let dimensions = [("provider", provider), ("entity", entity), ("outcome", label)]
        Counter(label: "hub_provider_requests_total", dimensions: dimensions).increment()
        Metrics.Timer(label: "hub_provider_request_duration", dimensions: dimensions).recordNanoseconds(
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        )
    }
}

extension ConnectorError {
    var metricLabel: String {
        switch self {
        case .authenticationFailed: "authentication_failed"
        case .permissionDenied: "permission_denied"
        case .notFound: "not_found"
        case .validation: "validation"
        case .rateLimited: "rate_limited"
        case .unavailable: "unavailable"
        case .network: "network"
        case .conflict: "conflict"
        case .unsupported: "unsupported"
        case .invalidResponse: "invalid_response"
        }
    }
}
