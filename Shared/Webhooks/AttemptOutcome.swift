import Foundation

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

    public init(
        attemptedAt: Date,
        statusCode: Int?,
        latencyMilliseconds: Int,
        responseBody: String? = nil,
        error: String? = nil,
        retryAfterSeconds: Double? = nil
    ) {
        self.attemptedAt = attemptedAt
        self.statusCode = statusCode
        self.latencyMilliseconds = latencyMilliseconds
        self.responseBody = responseBody
        self.error = error
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var succeeded: Bool { statusCode.map { (200..<300).contains($0) } ?? false }
}
