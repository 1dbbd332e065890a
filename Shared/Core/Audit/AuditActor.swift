import Foundation

/// Who made a change the audit log records: the caller's organization and subject (a user, a
/// service, or "zapier-key:<key id>"), and the request it came in.
public struct AuditActor: Sendable {
    public var organizationID: UUID
    public var subject: String
    public var requestID: String?

    public init(organizationID: UUID, subject: String, requestID: String?) {
        self.organizationID = organizationID
        self.subject = subject
        self.requestID = requestID
    }
}

extension HubRequestContext {
    /// The authenticated caller as the audit log names it (401 without one).
    public func auditActor() throws -> AuditActor {
        let identity = try requireIdentity()
        return AuditActor(organizationID: identity.organizationID, subject: identity.subject, requestID: requestID)
    }
}
