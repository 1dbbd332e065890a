/// Why a sync configuration, job or local record write could not be done. The service edge maps
/// each case to its HTTP answer.
public enum SyncError: Error, Sendable, Equatable {
    /// The connection was disconnected; its configurations and records are read-only.
    case connectionDisconnected
    /// A sync needs the connection `connected` (not in error or awaiting re-authentication).
    case connectionNotConnected
    /// The entity's job kept changing state under the enqueue; the caller may try again.
    case busy(entity: String)
    /// An idempotency key already used for a different local write.
    case idempotencyKeyReused
}
