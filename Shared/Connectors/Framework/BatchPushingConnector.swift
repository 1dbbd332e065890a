import HubCore

/// One local write of a batch push: to which provider record, with which fields.
public struct BatchWrite: Sendable {
    public enum Operation: String, Sendable {
        case create, update, delete
    }

    /// The provider's id of the record (updates and deletes).
    public var id: String?
    /// The hub's own id for the record, the same for every version of it: a create upserts on
    /// it (the provider's external-id field), so a batch repeated after a lost answer finds
    /// the records the first attempt made instead of making them again.
    public var externalKey: String
    /// The provider's fields (unmapped); ignored for deletes.
    public var fields: JSONValue

    public init(id: String? = nil, externalKey: String, fields: JSONValue = .object([:])) {
        self.id = id
        self.externalKey = externalKey
        self.fields = fields
    }
}

/// A connector that writes many records a call. A failed call throws (the caller retries the
/// whole batch, which is safe: creates upsert on `externalKey`, updates and deletes repeat);
/// a record the provider refuses is that record's own outcome, so one bad record never fails
/// the others.
public protocol BatchPushingConnector: DataConnector {
    /// The most writes one provider call takes.
    static var largestBatch: Int { get }

    /// `writes` of `operation` on `entity`, at most `largestBatch`: an outcome per write, in
    /// order, the provider's record after the write (nil for a delete) or the record's refusal.
    func push(
        _ entity: String,
        _ operation: BatchWrite.Operation,
        _ writes: [BatchWrite]
    ) async throws(ConnectorError) -> [Result<ProviderRecord?, ConnectorError>]
}

extension BatchPushingConnector {
    /// Refuses more writes than one call takes (the caller splits them).
    public static func checkSize(_ writes: [BatchWrite]) throws(ConnectorError) {
        guard writes.count <= largestBatch else {
            throw .validation(message: "\(definition.displayName) takes at most \(largestBatch) records a call", field: nil)
        }
    }
}

extension BatchWrite.Operation {
    /// The entity operation a connector must allow for this write.
    public var entityOperation: EntityOperation {
        switch self {
        case .create: .create
        case .update: .update
        case .delete: .delete
        }
    }
}
