import HubCore

/// `POST /api/v1/integrations/connections`.
struct CreateConnectionRequest: StrictDecodable {
    static let allowedFields: Set<String> = ["provider", "name", "settings", "credentials", "sync_enabled"]

    var provider: String
    var name: String?
    var settings: JSONValue?
    /// The credential fields the catalog lists for API-key and client-credentials providers.
    var credentials: [String: String]?
    var syncEnabled: Bool?

    enum CodingKeys: String, CodingKey {
        case provider, name, settings, credentials
        case syncEnabled = "sync_enabled"
    }
}

/// `PATCH /api/v1/integrations/connections/{id}`: each field optional; `credentials` replaces
/// the stored ones whole (and tests them).
struct UpdateConnectionRequest: StrictDecodable {
    static let allowedFields: Set<String> = ["name", "settings", "credentials", "sync_enabled"]

    var name: String?
    var settings: JSONValue?
    var credentials: [String: String]?
    var syncEnabled: Bool?

    enum CodingKeys: String, CodingKey {
        case name, settings, credentials
        case syncEnabled = "sync_enabled"
    }

    /// A null is refused rather than read as "unchanged": none of these can be cleared.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeUnlessNull(String.self, forKey: .name)
        settings = try container.decodeUnlessNull(JSONValue.self, forKey: .settings)
        credentials = try container.decodeUnlessNull([String: String].self, forKey: .credentials)
        syncEnabled = try container.decodeUnlessNull(Bool.self, forKey: .syncEnabled)
    }
}

/// Checks shared by create and update.
enum ConnectionInput {
    static func validateName(_ name: String?) throws {
        guard let name else { return }
        let trimmed = name.trimmingWhitespace()
        guard !trimmed.isEmpty, trimmed.count <= 200 else {
            throw APIError.validation("'name' must be 1 to 200 characters", field: "name")
        }
    }

    static func validateSettings(_ settings: JSONValue?) throws {
        guard let settings else { return }
        guard case .object = settings else { throw APIError.validation("'settings' must be a JSON object", field: "settings") }
    }
}
