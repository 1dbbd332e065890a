import HubCore

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

    /// Rejects parameters outside `allowed` (`expand` is always allowed), as Stripe does; with
    /// several unknown ones, the first in key order is named.
    static func check(_ params: JSONObject, allowed: Set<String>) throws(StripeAPIError) {
        for key in params.keys.sorted() where key != "expand" && !allowed.contains(key) {
            throw .unknownParameter(key)
        }
    }

    static func apply(_ params: JSONObject, to fields: inout JSONObject, allowed: Set<String>) throws(StripeAPIError) {
        try check(params, allowed: allowed)
        try merge(params.filter { $0.key != "expand" }, into: &fields)
    }

    /// Sets each parameter's field, in key order (so the first invalid one is the one named).
    private static func merge(_ params: JSONObject, into fields: inout JSONObject) throws(StripeAPIError) {
        for (key, param) in params.sorted(by: { $0.key < $1.key }) {
            fields[key] = try value(param, for: key, current: fields[key])
        }
    }

    /// The field value a parameter sets.
    static func value(_ param: JSONValue, for key: String, current: JSONValue?) throws(StripeAPIError) -> JSONValue {
        if case .string("") = param { return key == "metadata" ? [:] : .null }
        if case .null = param { return key == "metadata" ? [:] : .null }
        if key == "metadata" {
            guard case .object(let changes) = param else {
                throw .invalid("Invalid object", param: "metadata", code: "parameter_invalid_empty")
            }
            var metadata = current?.objectValue ?? [:]
            for (name, change) in changes {
                switch change {
                case .string(""), .null: metadata[name] = nil
                case .string(let text): metadata[name] = .string(text)
                case .number where change.integer != nil: metadata[name] = .string(String(change.integer ?? 0))
                case .bool(let flag): metadata[name] = .string(flag ? "true" : "false")
                default: throw .invalid("Invalid metadata value", param: "metadata[\(name)]")
                }
            }
            return .object(metadata)
        }
        if integerFields.contains(key) { return .int(try integer(param, key)) }
        if booleanFields.contains(key) { return .bool(try boolean(param, key)) }
        if objectFields.contains(key) {
            guard case .object(let nested) = param else { throw .invalid("Invalid object", param: key) }
            var merged = current?.objectValue ?? [:]
            try merge(nested, into: &merged)
            return .object(merged)
        }
        return param
    }

    static func integer(_ value: JSONValue?, _ param: String) throws(StripeAPIError) -> Int {
        guard let value else { throw .missingParameter(param) }
        guard let number = value.integer else { throw .invalidInteger(param, value: value.stringValue ?? "\(value)") }
        return number
    }

    static func boolean(_ value: JSONValue, _ param: String) throws(StripeAPIError) -> Bool {
        guard let flag = value.formBool else { throw .invalid("Invalid boolean: \(value.stringValue ?? "")", param: param) }
        return flag
    }

    static func requiredString(_ params: JSONObject, _ param: String) throws(StripeAPIError) -> String {
        guard let value = params[param]?.stringValue, !value.isEmpty else { throw .missingParameter(param) }
        return value
    }

    /// A three-letter lower-case currency code.
    static func currency(_ params: JSONObject, _ param: String = "currency") throws(StripeAPIError) -> String {
        let code = try requiredString(params, param).lowercased()
        guard code.count == 3, code.allSatisfy({ $0.isLetter && $0.isASCII }) else {
            throw .invalid("Invalid currency: \(code). Stripe currently supports these currencies: usd, eur, gbp, …", param: param)
        }
        return code
    }

    // MARK: List parameters

    /// Parses `limit`, `starting_after`, `ending_before`, `created[…]` and the resource's filters.
    static func listQuery(_ params: JSONObject, for resource: StripeResource) throws(StripeAPIError) -> StripeCollection.Query {
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

    static func applyCreated(_ created: JSONValue, to query: inout StripeCollection.Query) throws(StripeAPIError) {
        if case .object(let range) = created {
            for (name, value) in range.sorted(by: { $0.key < $1.key }) {
                let bound = try integer(value, "created[\(name)]")
                switch name {
                case "gt": query.createdFrom = max(query.createdFrom, bound + 1)
                case "gte": query.createdFrom = max(query.createdFrom, bound)
                case "lt": query.createdTo = min(query.createdTo, bound - 1)
                case "lte": query.createdTo = min(query.createdTo, bound)
                default: throw .unknownParameter("created[\(name)]")
                }
            }
        } else {
            let exact = try integer(created, "created")
            query.createdFrom = exact
            query.createdTo = exact
        }
    }

    /// `type` (one type, `*` wildcards allowed: `invoice.*`) or `types[]` (up to 20 exact types).
    static func applyEventTypes(_ params: JSONObject, to query: inout StripeCollection.Query) throws(StripeAPIError) {
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
