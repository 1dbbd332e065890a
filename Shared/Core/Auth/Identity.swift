import Foundation

/// The caller of a user route, from the verified JWT: the organization scopes every read and write.
public struct Identity: Sendable, Equatable {
    /// The `org` claim: every row the caller may see carries this id.
    public var organizationID: UUID
    /// The `sub` claim: the user, recorded in the audit log.
    public var subject: String

    public init(organizationID: UUID, subject: String) {
        self.organizationID = organizationID
        self.subject = subject
    }
}
