import Foundation

/// The answer of `POST …/connections/{id}/test`.
public struct ConnectionTestResult: Codable, Sendable, Equatable {
    public var ok: Bool
    /// What happened, readable (the provider's refusal, or "credentials accepted").
    public var message: String
    /// A machine-readable reason when not ok (`provider_authentication_failed`, `provider_unreachable`).
    public var code: String?
    public var latencyMS: Int
    public var accountID: String?
    public var accountName: String?
    /// The connection's status after the test.
    public var status: ConnectionStatus

    enum CodingKeys: String, CodingKey {
        case ok, message, code, status
        case latencyMS = "latency_ms"
        case accountID = "account_id"
        case accountName = "account_name"
    }
}
