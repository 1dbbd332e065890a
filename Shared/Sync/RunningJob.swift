import Foundation

/// A job as one worker runs it. `attempt` fences every write: when another worker takes the job
/// over (this one was presumed dead), the attempt moves on and this worker's writes match nothing.
public struct RunningJob: Sendable, Equatable {
    public var id: UUID
    public var organizationID: UUID
    public var connectionID: UUID
    public var entity: String
    public var direction: SyncDirection
    public var fullResync: Bool
    public var trigger: SyncTrigger
    public var attempt: Int
    /// The next page's cursor, saved with the previous page; nil before the first page.
    public var cursor: String?
    /// The checkpoint the pull lists changes since; nil lists everything.
    public var since: String?
}

/// What one write (one or more consecutive pages) adds to a job.
public struct PageProgress: Sendable {
    /// Provider pages the write holds.
    public var pages = 1
    public var created = 0
    public var updated = 0
    public var deleted = 0
    public var skipped = 0
    public var conflicts = 0
    public var pushed = 0
    /// Record-level problems: (external id, message, kind `error` or `conflict`).
    public var problems: [(externalID: String?, message: String, kind: String)] = []

    public init() {}

    public var errors: Int { problems.reduce(0) { $0 + ($1.kind == "error" ? 1 : 0) } }
    public var records: Int { created + updated + deleted + skipped + pushed }
}
