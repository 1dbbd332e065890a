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
                    guard tokens.consumeKeyword("FIRST") || tokens.consumeKeyword("LAST") else { throw tokens.unexpected("FIRST or LAST") }
                }
                orders.append(Order(field: field, descending: descending))
            } while tokens.consume(",")
        }
        if tokens.consumeKeyword("LIMIT") { limit = try tokens.integer() }
        if tokens.consumeKeyword("OFFSET") { offset = try tokens.integer() }
        if tokens.peek != nil { throw tokens.unexpected("the end of the query") }
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

/// The tokens of a query: words (names, numbers, dates), quoted strings and punctuation.
private struct SOQLTokens {
    struct Token {
        var text: String
        var quoted: Bool

        func isKeyword(_ keyword: String) -> Bool { !quoted && text.uppercased() == keyword }
    }

    private var items: [Token] = []
    private var position = 0

    init(_ text: String) throws(SalesforceAPIError) {
        var chars = Array(text)[...]
        while let char = chars.first {
            if char.isWhitespace {
                chars.removeFirst()
            } else if char == "'" {
                chars.removeFirst()
                var value = ""
                var closed = false
                while let next = chars.popFirst() {
                    if next == "\\", let escaped = chars.popFirst() {
                        value.append(escaped)
                    } else if next == "'" {
                        closed = true
                        break
                    } else {
                        value.append(next)
                    }
                }
                guard closed else { throw .malformedQuery("unexpected token: unterminated string") }
                items.append(Token(text: value, quoted: true))
            } else if "(),".contains(char) {
                items.append(Token(text: String(chars.removeFirst()), quoted: false))
            } else if "<>=!".contains(char) {
                var op = String(chars.removeFirst())
                if let next = chars.first, next == "=" || (op == "<" && next == ">") { op.append(chars.removeFirst()) }
                items.append(Token(text: op == "<>" ? "!=" : op, quoted: false))
            } else {
                var word = ""
                while let next = chars.first, !next.isWhitespace, !"(),'<>=!".contains(next) { word.append(chars.removeFirst()) }
                items.append(Token(text: word, quoted: false))
            }
        }
    }

    var peek: Token? { position < items.count ? items[position] : nil }

    mutating func advance() { position += 1 }

    func peekKeyword(_ keyword: String) -> Bool { peek?.isKeyword(keyword) ?? false }

    mutating func consumeKeyword(_ keyword: String) -> Bool {
        guard peekKeyword(keyword) else { return false }
        advance()
        return true
    }

    mutating func consume(_ punctuation: String) -> Bool {
        guard let token = peek, !token.quoted, token.text == punctuation else { return false }
        advance()
        return true
    }

    func unexpected(_ expecting: String) -> SalesforceAPIError {
        .malformedQuery("unexpected token: '\(peek?.text ?? "<EOF>")' (expecting \(expecting))")
    }

    mutating func expect(_ text: String) throws(SalesforceAPIError) {
        guard let token = peek, !token.quoted, token.text.uppercased() == text else { throw unexpected("'\(text)'") }
        advance()
    }

    mutating func word() throws(SalesforceAPIError) -> String {
        guard let token = peek, !token.quoted, let first = token.text.first, first.isLetter else { throw unexpected("a name") }
        advance()
        return token.text
    }

    mutating func integer() throws(SalesforceAPIError) -> Int {
        guard let token = peek, let value = Int(token.text), value >= 0 else { throw unexpected("a number") }
        advance()
        return value
    }

    mutating func condition(_ object: SalesforceObjectType) throws(SalesforceAPIError) -> SalesforceSOQL.Condition {
        let field = try SalesforceSOQL.field(try word(), of: object)
        guard let token = peek, !token.quoted, let op = SalesforceSOQL.Operator(rawValue: token.text.uppercased()) else {
            throw unexpected("an operator")
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
        guard let token = peek else { throw unexpected("a value") }
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
