/// The tokens of a provider's query language (Intuit's, Salesforce's SOQL): words (names,
/// numbers, dates, dotted paths), single-quoted strings (`\'` escapes a quote), punctuation, and
/// comparison operators (`<>` read as `!=`). Each language words its own errors.
struct QueryTokens<Failure: Error> {
    struct Token {
        var text: String
        var quoted: Bool

        func isKeyword(_ keyword: String) -> Bool { !quoted && text.uppercased() == keyword }
    }

    /// The language's error for a token it did not expect: what was found, what it expected.
    private let failure: (_ found: String, _ expecting: String) -> Failure
    private var items: [Token] = []
    private var position = 0

    /// - Parameters:
    ///   - punctuation: characters that are tokens on their own (`(),*`).
    ///   - unterminated: the language's error for a string without its closing quote.
    init(
        _ text: String,
        punctuation: String,
        unterminated: Failure,
        unexpected: @escaping (_ found: String, _ expecting: String) -> Failure
    ) throws(Failure) {
        failure = unexpected
        let separators = punctuation + "'<>=!"
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
                guard closed else { throw unterminated }
                items.append(Token(text: value, quoted: true))
            } else if punctuation.contains(char) {
                items.append(Token(text: String(chars.removeFirst()), quoted: false))
            } else if "<>=!".contains(char) {
                var op = String(chars.removeFirst())
                if let next = chars.first, next == "=" || (op == "<" && next == ">") { op.append(chars.removeFirst()) }
                items.append(Token(text: op == "<>" ? "!=" : op, quoted: false))
            } else {
                var word = ""
                while let next = chars.first, !next.isWhitespace, !separators.contains(next) { word.append(chars.removeFirst()) }
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

    /// The error for the current token (or the end), expecting `what`.
    func unexpected(expecting what: String) -> Failure {
        failure(peek?.text ?? "<EOF>", what)
    }

    mutating func expect(_ text: String) throws(Failure) {
        guard let token = peek, !token.quoted, token.text.uppercased() == text else { throw unexpected(expecting: text) }
        advance()
    }

    mutating func word() throws(Failure) -> String {
        guard let token = peek, !token.quoted, let first = token.text.first, first.isLetter else { throw unexpected(expecting: "a name") }
        advance()
        return token.text
    }

    mutating func integer() throws(Failure) -> Int {
        guard let token = peek, let value = Int(token.text) else { throw unexpected(expecting: "a number") }
        advance()
        return value
    }
}
