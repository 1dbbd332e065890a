/// How request parameters become object fields, with Stripe's rules: unknown parameters are
/// rejected, integers and booleans are checked, `metadata` merges key by key (an empty value
/// removes a key, `metadata=` clears it), and an empty value unsets an optional field. Values may
/// be strings (form bodies) or typed JSON (the admin API).
enum StripeParameters {
    static let integerFields: Set<String> = [
        "amount", "balance", "days_until_due", "due_date", "quantity", "unit_amount", "interval_count", "trial_period_days",
    ]
    static let booleanFields: Set<String> = ["active", "auto_advance", "cancel_at_period_end", "confirm", "paid_out_of_band"]
    /// Nested objects replaced as a whole (`address[city]=…` sets the address's fields).
    static let objectFields: Set<String> = ["address", "shipping", "recurring", "invoice_settings", "product_data"]

    /// Rejects parameters outside `allowed` (`expand` is always allowed), as Stripe does.
    static func check(_ params: StripeFields, allowed: Set<String>) throws(StripeAPIError) {
        for key in params.keys where key != "expand" && !allowed.contains(key) {
            throw .unknownParameter(key)
        }
    }

    static func apply(_ params: StripeFields, to fields: inout StripeFields, allowed: Set<String>) throws(StripeAPIError) {
        try check(params, allowed: allowed)
        for entry in params.entries where entry.key != "expand" {
            fields[entry.key] = try value(entry.value, for: entry.key, current: fields[entry.key])
        }
    }

    /// The field value a parameter sets.
    static func value(_ param: StripeJSON, for key: String, current: StripeJSON?) throws(StripeAPIError) -> StripeJSON {
        if case .string("") = param { return key == "metadata" ? [:] : .null }
        if case .null = param { return key == "metadata" ? [:] : .null }
        if key == "metadata" {
            guard case .object(let changes) = param else {
                throw .invalid("Invalid object", param: "metadata", code: "parameter_invalid_empty")
            }
            var metadata = current?.fields ?? StripeFields()
            for change in changes.entries {
                switch change.value {
                case .string(""), .null: metadata[change.key] = nil
                case .string(let text): metadata[change.key] = .string(text)
                case .int(let number): metadata[change.key] = .string(String(number))
                case .bool(let flag): metadata[change.key] = .string(flag ? "true" : "false")
                default: throw .invalid("Invalid metadata value", param: "metadata[\(change.key)]")
                }
            }
            return .object(metadata)
        }
        if integerFields.contains(key) { return .int(try integer(param, key)) }
        if booleanFields.contains(key) { return .bool(try boolean(param, key)) }
        if objectFields.contains(key) {
            guard case .object(let nested) = param else { throw .invalid("Invalid object", param: key) }
            var merged = current?.fields ?? StripeFields()
            for entry in nested.entries {
                merged[entry.key] = try value(entry.value, for: entry.key, current: merged[entry.key])
            }
            return .object(merged)
        }
        return param
    }

    static func integer(_ value: StripeJSON?, _ param: String) throws(StripeAPIError) -> Int {
        guard let value else { throw .missingParameter(param) }
        guard let number = value.intValue else { throw .invalidInteger(param, value: value.stringValue ?? "\(value)") }
        return number
    }

    static func boolean(_ value: StripeJSON, _ param: String) throws(StripeAPIError) -> Bool {
        guard let flag = value.boolValue else { throw .invalid("Invalid boolean: \(value.stringValue ?? "")", param: param) }
        return flag
    }

    static func requiredString(_ params: StripeFields, _ param: String) throws(StripeAPIError) -> String {
        guard let value = params[param]?.stringValue, !value.isEmpty else { throw .missingParameter(param) }
        return value
    }

    /// A three-letter lower-case currency code.
    static func currency(_ params: StripeFields, _ param: String = "currency") throws(StripeAPIError) -> String {
        let code = try requiredString(params, param).lowercased()
        guard code.count == 3, code.allSatisfy({ $0.isLetter && $0.isASCII }) else {
            throw .invalid("Invalid currency: \(code). Stripe currently supports these currencies: usd, eur, gbp, …", param: param)
        }
        return code
    }

    // MARK: List parameters

    /// Parses `limit`, `starting_after`, `ending_before`, `created[…]` and the resource's filters.
    static func listQuery(_ params: StripeFields, for resource: StripeResource) throws(StripeAPIError) -> StripeCollection.Query {
        var query = StripeCollection.Query()
        var allowed: Set<String> = ["limit", "starting_after", "ending_before", "created", "expand"]
        allowed.formUnion(resource.filters)
        if resource == .events { allowed.formUnion(["types", "delivery_success"]) }
        try check(params, allowed: allowed)
        if let limit = params["limit"] {
            let value = try integer(limit, "limit")
            guard value >= 1 else { throw .invalid("This value must be greater than or equal to 1.", param: "limit") }
            guard value <= 100 else {
                throw .invalid("This value must be less than or equal to 100 (it currently is '\(value)').", param: "limit")
            }
            query.limit = value
        }
        query.startingAfter = params["starting_after"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        query.endingBefore = params["ending_before"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        if query.startingAfter != nil, query.endingBefore != nil {
            throw .invalid("You may only specify one of these parameters: ending_before, starting_after.", param: "ending_before")
        }
        if let created = params["created"] { try applyCreated(created, to: &query) }
        for name in resource.filters where name != "type" || resource != .events {
            if let value = params[name]?.stringValue { query.attributes[name] = [value] }
        }
        if resource == .events { try applyEventTypes(params, to: &query) }
        return query
    }

    static func applyCreated(_ created: StripeJSON, to query: inout StripeCollection.Query) throws(StripeAPIError) {
        if case .object(let range) = created {
            for entry in range.entries {
                let bound = try integer(entry.value, "created[\(entry.key)]")
                switch entry.key {
                case "gt": query.createdFrom = max(query.createdFrom, bound + 1)
                case "gte": query.createdFrom = max(query.createdFrom, bound)
                case "lt": query.createdTo = min(query.createdTo, bound - 1)
                case "lte": query.createdTo = min(query.createdTo, bound)
                default: throw .unknownParameter("created[\(entry.key)]")
                }
            }
        } else {
            let exact = try integer(created, "created")
            query.createdFrom = exact
            query.createdTo = exact
        }
    }

    /// `type` (one type, `*` wildcards allowed: `invoice.*`) or `types[]` (up to 20 exact types).
    static func applyEventTypes(_ params: StripeFields, to query: inout StripeCollection.Query) throws(StripeAPIError) {
        if params["type"] != nil, params["types"] != nil {
            throw .invalid("You may only specify one of these parameters: type, types.", param: "types")
        }
        if let types = params["types"] {
            let list = types.arrayValue?.compactMap(\.stringValue) ?? types.stringValue.map { [$0] } ?? []
            guard list.count <= 20 else { throw .invalid("You may specify at most 20 types.", param: "types") }
            query.attributes["type"] = Set(list)
        } else if let type = params["type"]?.stringValue {
            if type.contains("*") {
                let pattern = type
                query.matches = { attributes in attributes["type"].map { Self.wildcard(pattern, matches: $0) } ?? false }
            } else {
                query.attributes["type"] = [type]
            }
        }
    }

    /// Stripe's event type wildcard: `*` matches one or more dot-separated segments at the end or
    /// one segment in the middle (`customer.*`, `*.created`).
    static func wildcard(_ pattern: String, matches type: String) -> Bool {
        let patternParts = pattern.split(separator: ".")
        let typeParts = type.split(separator: ".")
        if patternParts.last == "*" {
            let head = patternParts.dropLast()
            return typeParts.count > head.count && zip(head, typeParts).allSatisfy { $0 == "*" || $0 == $1 }
        }
        return patternParts.count == typeParts.count && zip(patternParts, typeParts).allSatisfy { $0 == "*" || $0 == $1 }
    }
}
