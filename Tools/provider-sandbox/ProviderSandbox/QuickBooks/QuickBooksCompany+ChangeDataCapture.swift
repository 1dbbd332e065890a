import HubCore

/// `GET cdc?entities=…&changedSince=…`: every object of the named entities created, changed or
/// deleted at or after `changedSince` (inclusive, to the second), oldest change first, at most
/// 1,000 objects in one answer. Deleted objects come back as `{"Id", "status": "Deleted",
/// "MetaData": {"LastUpdatedTime"}}`. Intuit keeps 30 days of changes: an older `changedSince`
/// is refused.
extension QuickBooksCompany {
    static let changeWindow = 30 * 86_400
    static let largestChangeSet = 1_000

    func changeDataCapture(_ entities: [QuickBooksEntity], since: Int, now: Int) throws(QuickBooksFault) -> JSONValue {
        guard now - since <= Self.changeWindow else {
            throw .badRequest("changedSince is more than 30 days in the past; it must be within the last 30 days", element: "changedSince")
        }
        var all: [(entity: QuickBooksEntity, id: Int, updated: Int, object: JSONObject?)] = []
        for entity in entities {
            all += collection(entity).changes(since: since).map { (entity, $0.id, $0.updated, $0.object) }
        }
        all.sort { ($0.updated, $0.entity.rawValue, $0.id) < ($1.updated, $1.entity.rawValue, $1.id) }
        let kept = all.prefix(Self.largestChangeSet)
        let responses: [JSONValue] = entities.map { entity in
            let objects: [JSONValue] = kept.filter { $0.entity == entity }.map { change in
                if let object = change.object { return .object(object) }
                return [
                    "domain": "QBO", "status": "Deleted", "Id": .string(String(change.id)),
                    "MetaData": ["LastUpdatedTime": .string(QuickBooksTime.string(change.updated))],
                ]
            }
            var response: JSONObject = ["startPosition": 1, "maxResults": .int(objects.count), "totalCount": .int(objects.count)]
            if !objects.isEmpty { response[entity.rawValue] = .array(objects) }
            return .object(response)
        }
        return ["CDCResponse": [["QueryResponse": .array(responses)]], "time": .string(QuickBooksTime.string(now))]
    }
}
