import HubCore

/// Creating, updating, upserting and deleting records, with Salesforce's checks: unknown fields
/// (`INVALID_FIELD`), fields only the server sets (`INVALID_FIELD_FOR_INSERT_UPDATE`), required
/// fields (`REQUIRED_FIELD_MISSING`) and references that are not ids (`MALFORMED_ID`).
extension SalesforceOrg {
    mutating func create(_ type: SalesforceObjectType, _ fields: JSONObject) throws(SalesforceAPIError) -> String {
        let values = try Self.validated(type, fields, creating: true)
        let now = stamp()
        return withTable(type) { table in
            let id = SalesforceID.make(type.keyPrefix, table.nextNumber)
            table.nextNumber += 1
            let time = JSONValue.string(SalesforceTime.string(now))
            var record: JSONObject = [
                "Id": .string(id), "IsDeleted": false, "CreatedDate": time, "LastModifiedDate": time, "SystemModstamp": time,
                "OwnerId": .string(SalesforceSeed.ownerID),
            ]
            for (field, value) in values { record[field] = value }
            if type == .order { record["OrderNumber"] = .string(SalesforceSeed.orderNumber(table.nextNumber - 1)) }
            table.append(Self.derived(type, record), stamp: now)
            return id
        }
    }

    mutating func update(_ type: SalesforceObjectType, id: String, _ fields: JSONObject) throws(SalesforceAPIError) {
        let values = try Self.validated(type, fields, creating: false)
        let now = stamp()
        let found = withTable(type) { table -> Bool in
            guard let position = table.position(id) else { return false }
            var record = table.records[position]
            for (field, value) in values { record[field] = value }
            let time = JSONValue.string(SalesforceTime.string(now))
            record["LastModifiedDate"] = time
            record["SystemModstamp"] = time
            table.records[position] = Self.derived(type, record)
            table.stamps[position] = now
            return true
        }
        guard found else { throw .notFound }
    }

    /// Upserts on an external-id field: (id, created).
    mutating func upsert(
        _ type: SalesforceObjectType,
        field: String,
        value: String,
        _ fields: JSONObject
    ) throws(SalesforceAPIError) -> (
        String, Bool
    ) {
        guard let name = type.field(field), name == "Id" || name.hasSuffix("__c") else {
            throw .notFound
        }
        let matches = withTable(type) { $0.matching(name, equals: value) }
        var fields = fields
        if matches.count > 1 {
            throw SalesforceAPIError(
                status: .multipleChoices,
                errorCode: "MULTIPLE_CHOICES",
                message: "The value provided for the external ID field '\(name)' matches \(matches.count) records."
            )
        }
        if let position = matches.first {
            let id = withTable(type) { $0.records[position]["Id"]?.stringValue ?? "" }
            fields[name] = nil
            try update(type, id: id, fields)
            return (id, false)
        }
        guard name != "Id" else { throw .notFound }
        fields[name] = .string(value)
        return (try create(type, fields), true)
    }

    mutating func delete(_ type: SalesforceObjectType, id: String) throws(SalesforceAPIError) {
        let now = stamp()
        let found = withTable(type) { table -> Bool in
            guard let position = table.position(id) else { return false }
            table.records[position]["IsDeleted"] = true
            table.records[position]["SystemModstamp"] = .string(SalesforceTime.string(now))
            table.stamps[position] = now
            table.deletions.append((table.records[position]["Id"]?.stringValue ?? id, now))
            return true
        }
        guard found else { throw SalesforceAPIError(status: .notFound, errorCode: "ENTITY_IS_DELETED", message: "entity is deleted") }
    }

    /// The record's own computed fields after a write.
    static func derived(_ type: SalesforceObjectType, _ record: JSONObject) -> JSONObject {
        var record = record
        switch type.name {
        case "Opportunity":
            let stage = record["StageName"]?.stringValue ?? ""
            record["IsClosed"] = .bool(stage.hasPrefix("Closed"))
            record["IsWon"] = .bool(stage == "Closed Won")
        case "OpportunityLineItem":
            if let quantity = record["Quantity"]?.numberValue, let price = record["UnitPrice"]?.numberValue {
                record["TotalPrice"] = .number(quantity * price)
            }
        case "Order":
            if record["TotalAmount"] == nil { record["TotalAmount"] = 0 }
        default: break
        }
        return record
    }

    /// The fields of a write under the object's spelling, or the first problem Salesforce reports.
    static func validated(_ type: SalesforceObjectType, _ fields: JSONObject, creating: Bool) throws(SalesforceAPIError) -> JSONObject {
        var values: JSONObject = [:]
        for (name, value) in fields where name != "attributes" {
            guard let field = type.field(name) else {
                throw .invalidField("No such column '\(name)' on sobject of type \(type.name)", fields: [name])
            }
            if type.isReadOnly(field) {
                throw .badRequest(
                    "INVALID_FIELD_FOR_INSERT_UPDATE",
                    "Unable to create/update fields: \(field). Please check the security settings of this field and verify that it is "
                        + "read/write for your profile or permission set.",
                    fields: [field]
                )
            }
            if field.hasSuffix("Id"), case .string(let text) = value, SalesforceID.key(text) == nil {
                throw .badRequest("MALFORMED_ID", "\(field): id value of incorrect type: \(text)", fields: [field])
            }
            values[field] = value
        }
        let missing = type.required.filter { field in
            let value = values[field]
            if creating && value == nil { return true }
            return value == .null || value == .string("")
        }
        if !missing.isEmpty {
            throw .badRequest("REQUIRED_FIELD_MISSING", "Required fields are missing: [\(missing.joined(separator: ", "))]", fields: missing)
        }
        return values
    }
}
