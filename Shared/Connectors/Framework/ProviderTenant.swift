import HubCore

/// One organisation a grant reaches when the provider lets a single consent reach several (Xero:
/// a user may tick more than one organisation). The user picks one; the connector then reads its
/// id from the `tenant_id` credential on every call.
public struct ProviderTenant: Codable, Sendable, Equatable {
    /// The credential field that holds the chosen tenant's id.
    public static let credentialField = "tenant_id"

    public var id: String
    public var name: String?
    /// The provider's kind of tenant (Xero `ORGANISATION`).
    public var type: String?

    public init(id: String, name: String?, type: String?) {
        self.id = id
        self.name = name
        self.type = type
    }
}

extension ProviderTenant {
    /// The tenant as the connections table keeps it (`tenants` jsonb) and the API shows it.
    public var json: JSONValue {
        .object(["id": .string(id), "name": name.map(JSONValue.string) ?? .null, "type": type.map(JSONValue.string) ?? .null])
    }

    /// A stored tenant; nil for an element without an id.
    public init?(json: JSONValue) {
        guard let id = json["id"]?.stringValue, !id.isEmpty else { return nil }
        self.init(id: id, name: json["name"]?.stringValue, type: json["type"]?.stringValue)
    }
}
