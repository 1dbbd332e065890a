import HubCore

/// One entity change an Intuit webhook names, read from either payload format:
///
/// - legacy: `{"eventNotifications":[{"realmId","dataChangeEvent":{"entities":[{"name":
///   "Invoice","id","operation":"Create","lastUpdated"}]}}]}`;
/// - CloudEvents: `[{"specversion":"1.0","type":"qbo.invoice.created.v1","intuitentityid",
///   "intuitaccountid",…}]`.
struct QuickBooksWebhookEvent: Equatable {
    var realm: String?
    /// The Accounting API object name (`Invoice`).
    var object: String
    var id: String
    /// Intuit's legacy verb: Create, Update, Delete, Merge, Void, Emailed.
    var operation: String

    /// `Invoice.Create`, as the catalog lists events.
    var eventType: String { "\(object).\(operation)" }

    static func all(in payload: JSONValue) -> [QuickBooksWebhookEvent] {
        if case .array(let events) = payload { return events.compactMap(cloudEvent) }
        return (payload["eventNotifications"]?.arrayValue ?? []).flatMap { notification -> [QuickBooksWebhookEvent] in
            let realm = notification["realmId"]?.idText
            return (notification["dataChangeEvent"]?["entities"]?.arrayValue ?? []).compactMap { entity in
                guard let name = entity["name"]?.stringValue, let id = entity["id"]?.idText, let operation = entity["operation"]?.stringValue
                else { return nil }
                return QuickBooksWebhookEvent(realm: realm, object: name, id: id, operation: operation)
            }
        }
    }

    /// `qbo.<entity>.<verb>.v1` with the entity in lower case: the object is found by name.
    static func cloudEvent(_ event: JSONValue) -> QuickBooksWebhookEvent? {
        guard event["specversion"] != nil, let type = event["type"]?.stringValue, let id = event["intuitentityid"]?.idText else { return nil }
        let parts = type.split(separator: ".")
        guard parts.count >= 3, parts[0] == "qbo" else { return nil }
        let object = QuickBooksEntities.all.map(\.providerObject).first { $0.lowercased() == parts[1] } ?? String(parts[1])
        let operation =
            switch parts[2] {
            case "created": "Create"
            case "deleted": "Delete"
            case "voided": "Void"
            case "merged": "Merge"
            case "emailed": "Emailed"
            default: "Update"
            }
        return QuickBooksWebhookEvent(realm: event["intuitaccountid"]?.idText, object: object, id: id, operation: operation)
    }
}
