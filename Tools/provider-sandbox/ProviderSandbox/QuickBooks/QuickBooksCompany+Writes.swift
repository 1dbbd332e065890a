import HubCore

/// A change a write made, for the webhook it triggers: `operation` is Intuit's verb.
struct QuickBooksChange: Sendable, Equatable {
    var entity: QuickBooksEntity
    var id: String
    var operation: String
    var time: Int
}

/// Creates, updates and deletes as the Accounting API makes them: required members and
/// references checked first (a `Fault` names the first problem), totals computed from the lines,
/// `SyncToken` compared on every update and delete and incremented on every change.
extension QuickBooksCompany {
    mutating func create(_ entity: QuickBooksEntity, _ body: JSONObject, at time: Int) throws(QuickBooksFault) -> (JSONObject, QuickBooksChange) {
        guard !entity.isReadOnly else { throw .unsupported("Create", entity: entity) }
        try validate(entity, body)
        var object = body
        for member in ["Id", "SyncToken", "MetaData", "domain", "sparse"] { object[member] = nil }
        let id = try modify(entity) { collection throws(QuickBooksFault) in collection.insert([:], at: time) }
        object["Id"] = .string(String(id))
        object["SyncToken"] = "0"
        let stamp = JSONValue.string(QuickBooksTime.string(time))
        object["MetaData"] = ["CreateTime": stamp, "LastUpdatedTime": stamp]
        Self.complete(&object, entity, id: id, time: time, creating: true)
        try modify(entity) { collection throws(QuickBooksFault) in collection.store(id, object, at: time) }
        return (object, QuickBooksChange(entity: entity, id: String(id), operation: "Create", time: time))
    }

    /// A full update replaces the object (its required members must be there again); a sparse
    /// one (`"sparse": true`) changes only the members it carries.
    mutating func update(_ entity: QuickBooksEntity, _ body: JSONObject, at time: Int) throws(QuickBooksFault) -> (JSONObject, QuickBooksChange) {
        guard !entity.isReadOnly else { throw .unsupported("Update", entity: entity) }
        let (id, current) = try current(entity, body)
        let sparse = body["sparse"]?.boolValue ?? false
        var object: JSONObject
        if sparse {
            object = current
            for (key, value) in body { object[key] = value }
        } else {
            try validate(entity, body)
            object = body
        }
        try validateReferences(entity, object)
        let token = (Int(current["SyncToken"]?.stringValue ?? "0") ?? 0) + 1
        object["Id"] = .string(String(id))
        object["SyncToken"] = .string(String(token))
        object["sparse"] = false
        object["domain"] = "QBO"
        object["MetaData"] = [
            "CreateTime": QuickBooksCompany.value("MetaData.CreateTime", current) ?? .string(QuickBooksTime.string(time)),
            "LastUpdatedTime": .string(QuickBooksTime.string(time)),
        ]
        Self.complete(&object, entity, id: id, time: time, creating: false)
        try modify(entity) { collection throws(QuickBooksFault) in collection.store(id, object, at: time) }
        return (object, QuickBooksChange(entity: entity, id: String(id), operation: "Update", time: time))
    }

    /// Someone edits the object in QuickBooks itself (its note), as a user would between a
    /// client's read and its write: the client's `SyncToken` is stale afterwards.
    mutating func editInProduct(_ entity: QuickBooksEntity, id: Int, at time: Int) {
        guard let current = collection(entity).object(id), let token = current["SyncToken"] else { return }
        let note = entity.isNameList ? "Notes" : "PrivateNote"
        _ = try? update(entity, ["Id": .string(String(id)), "SyncToken": token, "sparse": true, note: "Edited in QuickBooks"], at: time)
    }

    /// `?operation=delete`: transactions only; name lists are made inactive instead.
    mutating func delete(_ entity: QuickBooksEntity, _ body: JSONObject, at time: Int) throws(QuickBooksFault) -> (JSONObject, QuickBooksChange) {
        guard !entity.isNameList else { throw .unsupported("Delete", entity: entity) }
        let (id, _) = try current(entity, body)
        try modify(entity) { collection throws(QuickBooksFault) in collection.remove(id, at: time) }
        let answer: JSONObject = ["Id": .string(String(id)), "status": "Deleted", "domain": "QBO"]
        return (answer, QuickBooksChange(entity: entity, id: String(id), operation: "Delete", time: time))
    }

    /// The object an update or delete names, once its `Id` exists and its `SyncToken` is current.
    private func current(_ entity: QuickBooksEntity, _ body: JSONObject) throws(QuickBooksFault) -> (Int, JSONObject) {
        guard let idValue = body["Id"], let id = idValue.integer else { throw .requiredParameter("Id", entity: entity) }
        guard let token = body["SyncToken"].flatMap({ $0.stringValue ?? $0.integer.map(String.init) }) else {
            throw .requiredParameter("SyncToken", entity: entity)
        }
        guard let object = collection(entity).object(id) else { throw .notFound(entity, id: String(id)) }
        guard object["SyncToken"]?.stringValue == token else { throw .stale(entity) }
        return (id, object)
    }

    private func validate(_ entity: QuickBooksEntity, _ body: JSONObject) throws(QuickBooksFault) {
        for member in entity.required {
            switch body[member] {
            case nil, .null?: throw .requiredParameter(member, entity: entity)
            case .string(let text)? where text.trimmingWhitespace().isEmpty: throw .requiredParameter(member, entity: entity)
            case .array(let lines)? where lines.isEmpty: throw .requiredParameter(member, entity: entity)
            default: break
            }
        }
        if entity.totalsLines, case .array(let lines)? = body["Line"] {
            for line in lines where line["DetailType"]?.stringValue != "SubTotalLineDetail" {
                guard line["Amount"]?.numberValue != nil else { throw .requiredParameter("Line.Amount", entity: entity) }
                guard line["DetailType"]?.stringValue != nil else { throw .requiredParameter("Line.DetailType", entity: entity) }
            }
        }
        try validateReferences(entity, body)
    }

    private func validateReferences(_ entity: QuickBooksEntity, _ body: JSONObject) throws(QuickBooksFault) {
        for (member, target) in entity.references {
            guard let reference = body[member] else { continue }
            let id = reference["value"]?.stringValue ?? ""
            guard let number = Int(id), let row = collection(target).row(number), row.active else {
                throw .invalidReference(member, id: id)
            }
        }
    }

    /// What the API fills in: totals from the lines, balances, defaults.
    private static func complete(_ object: inout JSONObject, _ entity: QuickBooksEntity, id: Int, time: Int, creating: Bool) {
        if entity.isNameList, object["Active"] == nil { object["Active"] = true }
        if object["CurrencyRef"] == nil, entity != .item, entity != .taxCode { object["CurrencyRef"] = QuickBooksSeed.usd }
        if [.customer, .vendor].contains(entity), object["Balance"] == nil { object["Balance"] = 0 }
        if !entity.isNameList, object["TxnDate"] == nil { object["TxnDate"] = .string(QuickBooksTime.date(time)) }
        if entity == .invoice, object["DocNumber"] == nil { object["DocNumber"] = .string(String(1_000 + id)) }
        guard entity.totalsLines, case .array(let lines)? = object["Line"] else { return }
        let cents = lines.reduce(0) { sum, line in
            guard line["DetailType"]?.stringValue != "SubTotalLineDetail", let amount = line["Amount"]?.numberValue else { return sum }
            return sum + Int((amount * 100).rounded())
        }
        object["TotalAmt"] = QuickBooksSeed.money(cents)
        switch entity {
        case .invoice, .bill:
            if creating || object["Balance"] == nil { object["Balance"] = QuickBooksSeed.money(cents) }
        case .creditMemo:
            object["RemainingCredit"] = QuickBooksSeed.money(cents)
            object["Balance"] = QuickBooksSeed.money(cents)
        default:
            break
        }
    }
}
