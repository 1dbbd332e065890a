import Foundation
import HubCore

/// One header of an attempt's request or response, as the delivery log shows it (in order;
/// a name may repeat).
public struct AttemptHeader: Sendable, Encodable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// The most a response's headers take in the log: a hostile endpoint cannot fill it.
    static let limit = 64
    static let valueLimit = 1_024

    /// At most `limit` headers, each value cut to `valueLimit` characters.
    static func bounded(_ pairs: some Sequence<(String, String)>) -> [AttemptHeader] {
        pairs.prefix(limit).map { AttemptHeader(name: $0.0, value: String($0.1.prefix(valueLimit))) }
    }

    /// The JSON column's text: `[{"name": …, "value": …}, …]`.
    static func json(_ headers: [AttemptHeader]?) -> String {
        guard let headers else { return "" }
        let array = JSONValue.array(headers.map { ["name": .string($0.name), "value": .string($0.value)] })
        return String(decoding: array.encoded(), as: UTF8.self)
    }

    /// The headers a JSON column holds; nil for attempts logged before headers were.
    static func parse(_ value: JSONValue?) -> [AttemptHeader]? {
        guard let items = value?.arrayValue else { return nil }
        return items.compactMap { item in
            guard let name = item["name"]?.stringValue, let value = item["value"]?.stringValue else { return nil }
            return AttemptHeader(name: name, value: value)
        }
    }
}

/// What one attempt came to, before the retry policy decides what follows.
public struct AttemptOutcome: Sendable {
    public var attemptedAt: Date
    /// The response status, nil when no response came (refused address, connect error, timeout).
    public var statusCode: Int?
    public var latencyMilliseconds: Int
    /// The first bytes of the response body, for the delivery log.
    public var responseBody: String?
    public var error: String?
    /// Seconds the receiver asked to wait (`Retry-After` on 429 or 503).
    public var retryAfterSeconds: Double?
    /// What was sent (signatures included, no secret), nil when no request was made; what came
    /// back, nil when no response did.
    public var requestHeaders: [AttemptHeader]?
    public var responseHeaders: [AttemptHeader]?

    public init(
        attemptedAt: Date,
        statusCode: Int?,
        latencyMilliseconds: Int,
        responseBody: String? = nil,
        error: String? = nil,
        retryAfterSeconds: Double? = nil,
        requestHeaders: [AttemptHeader]? = nil,
        responseHeaders: [AttemptHeader]? = nil
    ) {
        self.attemptedAt = attemptedAt
        self.statusCode = statusCode
        self.latencyMilliseconds = latencyMilliseconds
        self.responseBody = responseBody
        self.error = error
        self.retryAfterSeconds = retryAfterSeconds
        self.requestHeaders = requestHeaders
        self.responseHeaders = responseHeaders
    }

    public var succeeded: Bool { statusCode.map { (200..<300).contains($0) } ?? false }
}
