/// The subset of Intuit's query language the sandbox answers, parsed:
///
///     SELECT * | COUNT(*) | fields FROM Entity
///       [WHERE field op value [AND …]]   op: = != < > <= >= IN (…) LIKE '%…%'
///       [ORDERBY | ORDER BY field [ASC|DESC][, …]]
///       [STARTPOSITION n] [MAXRESULTS n]
///
/// Keywords are case-insensitive; strings are single-quoted with `\'` escaping a quote (as
/// python-quickbooks writes them); booleans are `true`/`false` in any case. `STARTPOSITION` is
/// 1-based, `MAXRESULTS` at most 1000 (default 100).
struct QuickBooksQuery: Sendable, Equatable {
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
    }

    struct Condition: Sendable, Equatable {
        /// The dotted path, as written (`Metadata.LastUpdatedTime`).
        var field: String
        var op: Operator
        var values: [Literal]
    }

    struct Order: Sendable, Equatable {
        var field: String
        var descending: Bool
    }

    var entity: QuickBooksEntity
    var isCount = false
    var conditions: [Condition] = []
    var orders: [Order] = []
    var startPosition = 1
    var maxResults = 100

    static let largestPage = 1000

    init(entity: QuickBooksEntity) {
        self.entity = entity
    }

    init(parsing text: String) throws(QuickBooksFault) {
        var tokens = try Tokens(text)
        try tokens.expect("SELECT")
        var isCount = false
        if tokens.peekKeyword("COUNT") {
            tokens.advance()
            try tokens.expect("(")
            try tokens.expect("*")
            try tokens.expect(")")
            isCount = true
        } else {
            // The selected fields do not change what is returned: whole objects.
            while let token = tokens.peek, !token.isKeyword("FROM") { tokens.advance() }
        }
        try tokens.expect("FROM")
        let name = try tokens.word()
        guard let entity = QuickBooksEntity(name: name) else { throw .unknownEntity(name) }
        self.init(entity: entity)
        self.isCount = isCount
        if tokens.peekKeyword("WHERE") {
            tokens.advance()
            repeat {
                conditions.append(try tokens.condition())
            } while tokens.consumeKeyword("AND")
        }
        if tokens.peekKeyword("ORDERBY") || tokens.peekKeyword("ORDER") {
            if tokens.consumeKeyword("ORDER") { try tokens.expect("BY") } else { tokens.advance() }
            repeat {
                let field = try tokens.word()
                var descending = false
                if tokens.consumeKeyword("DESC") { descending = true } else { _ = tokens.consumeKeyword("ASC") }
                orders.append(Order(field: field, descending: descending))
            } while tokens.consume(",")
        }
        while let token = tokens.peek {
            if token.isKeyword("STARTPOSITION") {
                tokens.advance()
                startPosition = try tokens.integer()
                guard startPosition >= 1 else { throw .queryValidation("value \(startPosition) is too small. Min allowed value is 1") }
            } else if token.isKeyword("MAXRESULTS") {
                tokens.advance()
                maxResults = try tokens.integer()
                guard maxResults <= Self.largestPage else {
                    throw .queryValidation("value \(maxResults) is too large. Max allowed value is \(Self.largestPage)")
                }
                guard maxResults >= 1 else { throw .queryValidation("value \(maxResults) is too small. Min allowed value is 1") }
            } else {
                throw .invalidQuery("QueryParserError: Encountered \"\(token.text)\" at the end of the query")
            }
        }
    }
}

/// Intuit's query tokens and how its parser reports what it did not expect.
private typealias Tokens = QueryTokens<QuickBooksFault>

extension QueryTokens where Failure == QuickBooksFault {
    init(_ text: String) throws(QuickBooksFault) {
        try self.init(
            text,
            punctuation: "(),*",
            unterminated: .invalidQuery("QueryParserError: unterminated string"),
            unexpected: { found, expecting in .invalidQuery("QueryParserError: Encountered \"\(found)\"; was expecting \(expecting)") }
        )
    }

    mutating func condition() throws(QuickBooksFault) -> QuickBooksQuery.Condition {
        let field = try word()
        guard let token = peek, !token.quoted else { throw .invalidQuery("QueryParserError: missing operator after \(field)") }
        let op: QuickBooksQuery.Operator
        if let symbol = QuickBooksQuery.Operator(rawValue: token.text.uppercased()) {
            op = symbol
        } else {
            throw .invalidQuery("QueryParserError: Encountered \"\(token.text)\"; was expecting an operator")
        }
        advance()
        if op == .isIn {
            try expect("(")
            var values: [QuickBooksQuery.Literal] = []
            repeat { values.append(try literal()) } while consume(",")
            try expect(")")
            return QuickBooksQuery.Condition(field: field, op: op, values: values)
        }
        return QuickBooksQuery.Condition(field: field, op: op, values: [try literal()])
    }

    mutating func literal() throws(QuickBooksFault) -> QuickBooksQuery.Literal {
        guard let token = peek else { throw .invalidQuery("QueryParserError: missing value") }
        advance()
        if token.quoted { return .string(token.text) }
        if token.text.lowercased() == "true" { return .bool(true) }
        if token.text.lowercased() == "false" { return .bool(false) }
        if let number = Double(token.text) { return .number(number) }
        throw .invalidQuery("QueryParserError: Encountered \"\(token.text)\"; was expecting a value")
    }
}
