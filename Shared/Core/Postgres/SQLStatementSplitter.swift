import Foundation

/// Splits a migration file into single statements. postgres-nio speaks only the extended query
/// protocol, which takes one statement per query, while a migration file holds several.
///
/// Semicolons inside quoted strings (`'a;b'`), quoted identifiers (`"a;b"`), dollar-quoted
/// bodies (`$$ … $$`, `$fn$ … $fn$`), line comments and block comments do not end a statement.
public enum SQLStatementSplitter {
    public static func split(_ sql: String) -> [String] {
        var statements: [String] = []
        var current: [Character] = []
        let characters = Array(sql)
        var index = 0

        func flush() {
            let statement = String(current).trimmingWhitespace()
            if !statement.isEmpty && !isOnlyComments(statement) { statements.append(statement) }
            current.removeAll(keepingCapacity: true)
        }

        while index < characters.count {
            let character = characters[index]
            let next: Character? = index + 1 < characters.count ? characters[index + 1] : nil
            switch character {
            case "'", "\"":
                let end = closing(character, in: characters, from: index + 1)
                current.append(contentsOf: characters[index..<end])
                index = end
            case "-" where next == "-":
                let end = characters[index...].firstIndex(of: "\n").map { $0 + 1 } ?? characters.count
                current.append(contentsOf: characters[index..<end])
                index = end
            case "/" where next == "*":
                let end = blockCommentEnd(in: characters, from: index + 2)
                current.append(contentsOf: characters[index..<end])
                index = end
            case "$":
                if let tag = dollarTag(in: characters, at: index) {
                    let end = dollarQuoteEnd(tag: tag, in: characters, from: index + tag.count)
                    current.append(contentsOf: characters[index..<end])
                    index = end
                } else {
                    current.append(character)
                    index += 1
                }
            case ";":
                flush()
                index += 1
            default:
                current.append(character)
                index += 1
            }
        }
        flush()
        return statements
    }

    /// The index after the quote that closes one opened at `start - 1` (a doubled quote escapes).
    static func closing(_ quote: Character, in characters: [Character], from start: Int) -> Int {
        var index = start
        while index < characters.count {
            if characters[index] == quote {
                if index + 1 < characters.count && characters[index + 1] == quote {
                    index += 2
                    continue
                }
                return index + 1
            }
            index += 1
        }
        return characters.count
    }

    static func blockCommentEnd(in characters: [Character], from start: Int) -> Int {
        var index = start
        while index + 1 < characters.count {
            if characters[index] == "*" && characters[index + 1] == "/" { return index + 2 }
            index += 1
        }
        return characters.count
    }

    /// `$tag$` starting at `index`, or nil when the `$` is a positional parameter or part of a name.
    static func dollarTag(in characters: [Character], at index: Int) -> [Character]? {
        if index > 0, characters[index - 1].isLetter || characters[index - 1].isNumber || characters[index - 1] == "_" {
            return nil
        }
        var end = index + 1
        while end < characters.count, characters[end].isLetter || characters[end] == "_" || (end > index + 1 && characters[end].isNumber) {
            end += 1
        }
        guard end < characters.count, characters[end] == "$" else { return nil }
        return Array(characters[index...end])
    }

    static func dollarQuoteEnd(tag: [Character], in characters: [Character], from start: Int) -> Int {
        var index = start
        while index + tag.count <= characters.count {
            if characters[index] == "$" && Array(characters[index..<(index + tag.count)]) == tag { return index + tag.count }
            index += 1
        }
        return characters.count
    }

    static func isOnlyComments(_ statement: String) -> Bool {
        statement.split(separator: "\n").allSatisfy { $0.trimmingWhitespace().hasPrefix("--") }
    }
}
