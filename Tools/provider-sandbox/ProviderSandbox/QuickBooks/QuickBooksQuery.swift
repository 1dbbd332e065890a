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

/// The tokens of a query: words (with dots), quoted strings, numbers and punctuation.
private struct Tokens {
    struct Token {
        var text: String
        var quoted: Bool

        func isKeyword(_ keyword: String) -> Bool { !quoted && text.uppercased() == keyword }
    }

    private var items: [Token] = []
    private var position = 0

    init(_ text: String) throws(QuickBooksFault) {
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
                guard closed else { throw .invalidQuery("QueryParserError: unterminated string") }
                items.append(Token(text: value, quoted: true))
            } else if "(),*".contains(char) {
                items.append(Token(text: String(chars.removeFirst()), quoted: false))
            } else if "<>=!".contains(char) {
                var op = String(chars.removeFirst())
                if let next = chars.first, next == "=" || (op == "<" && next == ">") { op.append(chars.removeFirst()) }
                items.append(Token(text: op == "<>" ? "!=" : op, quoted: false))
            } else {
                var word = ""
                while let next = chars.first, !next.isWhitespace, !"(),*'<>=!".contains(next) { word.append(chars.removeFirst()) }
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

    mutating func expect(_ text: String) throws(QuickBooksFault) {
        guard let token = peek, !token.quoted, token.text.uppercased() == text else {
            throw .invalidQuery("QueryParserError: Encountered \"\(peek?.text ?? "<EOF>")\"; was expecting \(text)")
        }
        advance()
    }

    mutating func word() throws(QuickBooksFault) -> String {
        guard let token = peek, !token.quoted, let first = token.text.first, first.isLetter else {
            throw .invalidQuery("QueryParserError: Encountered \"\(peek?.text ?? "<EOF>")\"; was expecting a name")
        }
        advance()
        return token.text
    }

    mutating func integer() throws(QuickBooksFault) -> Int {
        guard let token = peek, let value = Int(token.text) else {
            throw .invalidQuery("QueryParserError: Encountered \"\(peek?.text ?? "<EOF>")\"; was expecting a number")
        }
        advance()
        return value
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
