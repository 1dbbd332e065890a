import HubCore

/// One org's records of one sObject type, in creation order, with each record's
/// `SystemModstamp` in milliseconds beside it and the deletion log the `/deleted` resource reads.
/// Deleted records stay as tombstones (`IsDeleted`), as in Salesforce's recycle bin.
struct SalesforceTable: Sendable {
    let type: SalesforceObjectType
    var records: [JSONObject] = []
    var stamps: [Int64] = []
    /// 15-character id → position.
    var positions: [String: Int] = [:]
    /// (id, deletion time) in the order records were deleted.
    var deletions: [(id: String, at: Int64)] = []
    /// The number the next created record's id carries.
    var nextNumber: Int

    init(type: SalesforceObjectType, volume: Int) {
        self.type = type
        nextNumber = volume + 1
        records.reserveCapacity(volume)
        for index in 0..<volume {
            let record = SalesforceSeed.record(type, index, volume: volume)
            append(record, stamp: SalesforceSeed.stamp(index))
        }
    }

    mutating func append(_ record: JSONObject, stamp: Int64) {
        guard let id = record["Id"]?.stringValue, let key = SalesforceID.key(id) else { return }
        positions[key] = records.count
        records.append(record)
        stamps.append(stamp)
    }

    /// The live record's position, or nil (unknown or deleted).
    func position(_ id: String) -> Int? {
        guard let key = SalesforceID.key(id), let position = positions[key], records[position]["IsDeleted"] != .bool(true) else { return nil }
        return position
    }

    func record(_ id: String) -> JSONObject? {
        position(id).map { records[$0] }
    }

    /// Live positions whose field `name` equals `value` (an upsert's external id).
    func matching(_ name: String, equals value: String) -> [Int] {
        if name == "Id" { return position(value).map { [$0] } ?? [] }
        return records.indices.filter { records[$0]["IsDeleted"] != .bool(true) && records[$0][name]?.stringValue == value }
    }
}
