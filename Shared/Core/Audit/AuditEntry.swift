import Foundation
import Hummingbird

/// One audited action: who (the token's subject or a service), did what, to which resource, when.
/// Connect, disconnect, credential and settings changes each write one.
public struct AuditEntry: Codable, Sendable, Equatable, ResponseEncodable {
    public var id: Int64
    public var organizationID: UUID
    public var actor: String
    public var action: String
    public var resourceType: String
    public var resourceID: String?
    public var details: JSONValue
    public var requestID: String?
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case organizationID = "org_id"
        case actor, action, details
        case resourceType = "resource_type"
        case resourceID = "resource_id"
        case requestID = "request_id"
        case createdAt = "created_at"
    }
}
