import Foundation
import HubCore

/// How much of its API allowance the provider says the account has used, as last seen on a
/// response (Salesforce's `Sforce-Limit-Info: api-usage=N/M`, the org's calls in the last 24
/// hours). Connectors hand it back with a page; the sync engine keeps the latest on the
/// connection (`api_usage`) so people see how close the account is to being cut off.
public struct ProviderQuota: Codable, Sendable, Equatable {
    public var used: Int
    public var limit: Int
    public var observedAt: Date

    public init(used: Int, limit: Int, observedAt: Date) {
        self.used = used
        self.limit = limit
        self.observedAt = observedAt
    }

    enum CodingKeys: String, CodingKey {
        case used, limit
        case observedAt = "observed_at"
    }
}

extension ProviderQuota {
    /// The quota as the connections table keeps it (`api_usage` jsonb); the time as ISO 8601
    /// with milliseconds, so stored values order by it.
    public var json: JSONValue {
        .object([
            "used": .number(Double(used)), "limit": .number(Double(limit)),
            "observed_at": .string(Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(observedAt)),
        ])
    }

    /// A stored quota; nil for anything else.
    public init?(json: JSONValue) {
        guard let used = json["used"]?.intValue, let limit = json["limit"]?.intValue,
            let stamp = json["observed_at"]?.stringValue.flatMap(ISOTimestamp.unix(iso:))
        else { return nil }
        self.init(used: used, limit: limit, observedAt: Date(timeIntervalSince1970: stamp))
    }
}
