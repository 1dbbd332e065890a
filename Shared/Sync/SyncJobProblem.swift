import Foundation
import HubCore

/// One record-level problem a job met, as kept in `sync_job_errors`: an error (the record was
/// not written, or the provider refused it) or a conflict (both sides changed it). A job's
/// `error_samples` holds its first 20; `SyncRepository.problems` pages through all of them.
public struct SyncJobProblem: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable, PostgresTextEnum {
        case error
        case conflict
    }

    /// Increases in the order problems were recorded (the list's order and its cursor).
    public var id: Int64
    public var kind: Kind
    /// The record's id at the provider, when the problem concerns one.
    public var externalID: String?
    public var message: String
    public var at: Date

    enum CodingKeys: String, CodingKey {
        case id, kind, message, at
        case externalID = "external_id"
    }
}
