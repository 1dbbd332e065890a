/// The subset of SOQL the sandbox answers, parsed:
///
///     SELECT field, …, [COUNT()], [(SELECT field, … FROM ChildRelationship)] FROM Object
///       [WHERE field op literal [AND …]]   op: = != <> < <= > >= IN (…) LIKE
///       [ORDER BY field [ASC|DESC] [NULLS FIRST|LAST], …] [LIMIT n] [OFFSET n]
///
/// Keywords are case-insensitive; strings are single-quoted (`\'` escapes a quote); datetimes
/// are unquoted ISO 8601 (`2026-01-01T00:00:00Z`, `…+00:00`), dates `2026-01-01`.
struct SalesforceSOQL: Sendable {
    enum Operator: String, Sendable {
        case equal = "="
        case notEqual = "!="
        case less = "<"
        case greater = ">"
        case lessOrEqual = "<="
        case greaterOrEqual = ">="
        case isIn = "IN"
        case like = "LIKE"
    }

    enum Literal: Sendable, Equatable {
        case string(String)
        case number(Double)
        case bool(Bool)
        case null
        /// Milliseconds since the epoch.
        case dateTime(Int64)
        case date(String)
    }

    struct Condition: Sendable {
        var field: String
        var op: Operator
        var values: [Literal]
    }

    struct Order: Sendable {
        var field: String
        var descending: Bool
    }

    struct SubQuery: Sendable {
        var relationship: String
        var child: SalesforceObjectType
        var parentField: String
        var fields: [String]
    }

    var object: SalesforceObjectType
    var fields: [String] = []
    var subQueries: [SubQuery] = []
    var isCount = false
    var conditions: [Condition] = []
    var orders: [Order] = []
    var limit: Int?
    var offset = 0

    init(parsing text: String) throws(SalesforceAPIError) {
        var tokens = try SOQLTokens(text)
        try tokens.expect("SELECT")
        var names: [String] = []
        var subs: [(String, [String])] = []
        var isCount = false
        repeat {
            if tokens.consume("(") {
                try tokens.expect("SELECT")
                var childFields: [String] = []
                repeat { childFields.append(try tokens.word()) } while tokens.consume(",")
                try tokens.expect("FROM")
                subs.append((try tokens.word(), childFields))
                try tokens.expect(")")
            } else if tokens.peekKeyword("COUNT") {
                tokens.advance()
                try tokens.expect("(")
                try tokens.expect(")")
                isCount = true
            } else {
                names.append(try tokens.word())
            }
        } while tokens.consume(",")
        try tokens.expect("FROM")
        let objectName = try tokens.word()
        guard let object = SalesforceObjectType.named(objectName) else {
            throw .invalidType(
                "sObject type '\(objectName)' is not supported. If you are attempting to use a custom object, be sure to "
                    + "append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names."
            )
        }
        self.object = object
        self.isCount = isCount
        fields = try names.map { name throws(SalesforceAPIError) in try Self.field(name, of: object) }
        for (relationship, childFields) in subs {
            guard let child = object.children.first(where: { $0.key.lowercased() == relationship.lowercased() }),
                let childType = SalesforceObjectType.named(child.value.object)
            else {
                throw .invalidType("Didn't understand relationship '\(relationship)' in FROM part of query call.")
            }
            let resolved = try childFields.map { name throws(SalesforceAPIError) in try Self.field(name, of: childType) }
            subQueries.append(SubQuery(relationship: child.key, child: childType, parentField: child.value.field, fields: resolved))
        }
        if tokens.consumeKeyword("WHERE") {
            repeat { conditions.append(try tokens.condition(object)) } while tokens.consumeKeyword("AND")
        }
        if tokens.consumeKeyword("ORDER") {
            try tokens.expect("BY")
            repeat {
                let field = try Self.field(try tokens.word(), of: object)
                var descending = false
                if tokens.consumeKeyword("DESC") { descending = true } else { _ = tokens.consumeKeyword("ASC") }
                if tokens.consumeKeyword("NULLS") {
                    guard tokens.consumeKeyword("FIRST") || tokens.consumeKeyword("LAST") else { throw tokens.unexpected(expecting: "FIRST or LAST") }
                }
                orders.append(Order(field: field, descending: descending))
            } while tokens.consume(",")
        }
        if tokens.consumeKeyword("LIMIT") { limit = try tokens.integer() }
        if tokens.consumeKeyword("OFFSET") { offset = try tokens.integer() }
        guard (limit ?? 0) >= 0, offset >= 0 else { throw .malformedQuery("LIMIT and OFFSET must not be negative") }
        if tokens.peek != nil { throw tokens.unexpected(expecting: "the end of the query") }
    }

    static func field(_ name: String, of object: SalesforceObjectType) throws(SalesforceAPIError) -> String {
        guard let field = object.field(name) else {
            throw .invalidField(
                "No such column '\(name)' on entity '\(object.name)'. If you are attempting to use a custom field, be sure to append "
                    + "the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."
            )
        }
        return field
    }
}

/// SOQL's tokens and how Salesforce reports what it did not expect (`MALFORMED_QUERY`).
private typealias SOQLTokens = QueryTokens<SalesforceAPIError>

extension QueryTokens where Failure == SalesforceAPIError {
    init(_ text: String) throws(SalesforceAPIError) {
        try self.init(
            text,
            punctuation: "(),",
            unterminated: .malformedQuery("unexpected token: unterminated string"),
            unexpected: { found, expecting in .malformedQuery("unexpected token: '\(found)' (expecting \(expecting))") }
        )
    }

    mutating func condition(_ object: SalesforceObjectType) throws(SalesforceAPIError) -> SalesforceSOQL.Condition {
        let field = try SalesforceSOQL.field(try word(), of: object)
        guard let token = peek, !token.quoted, let op = SalesforceSOQL.Operator(rawValue: token.text.uppercased()) else {
            throw unexpected(expecting: "an operator")
        }
        advance()
        if op == .isIn {
            try expect("(")
            var values: [SalesforceSOQL.Literal] = []
            repeat { values.append(try literal()) } while consume(",")
            try expect(")")
            return SalesforceSOQL.Condition(field: field, op: op, values: values)
        }
        return SalesforceSOQL.Condition(field: field, op: op, values: [try literal()])
    }

    mutating func literal() throws(SalesforceAPIError) -> SalesforceSOQL.Literal {
        guard let token = peek else { throw unexpected(expecting: "a value") }
        advance()
        if token.quoted { return .string(token.text) }
        switch token.text.lowercased() {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        default: break
        }
        if token.text.count == 10, token.text.dropFirst(4).first == "-" { return .date(token.text) }
        if token.text.count > 10, let milliseconds = SalesforceTime.parse(token.text) { return .dateTime(milliseconds) }
        if let number = Double(token.text) { return .number(number) }
        throw .malformedQuery("unexpected token: '\(token.text)'")
    }
}
