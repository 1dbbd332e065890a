import Testing

@testable import HubCore

/// The writer orders an object's keys as `String`'s `<` orders them.
@Suite struct JSONKeyOrderTests {
    /// Keys that share long prefixes, differ only by length, hold a NUL,
    /// or are not ASCII (a combining accent composes with the letter before it, so byte order
    /// and `<` disagree on "e\u{301}" against "f"; "é" is the same key to a dictionary).
    static let awkwardKeys = [
        "invoice_settings", "invoice_prefix", "invoice", "invoice_", "invoicE", "a", "ab", "ab\u{0}", "ab\u{0}c", "abc",
        "e\u{301}", "f", "zz", "\u{7F}", "~", "_", "Z", "0", "10", "9", "preferred_locales", "preferred_locale",
        "日本", "日", "emoji😀", "emoji", "", "AAAAAAAAB", "AAAAAAAAA", "AAAAAAAA",
    ]

    /// The keys in the order the writer puts them: each key's value is its index, and the values
    /// are read back from the text in order (no key holds a quote, so `":N` ends a key).
    static func writtenKeys(_ keys: [String], order: JSONKeyOrder = .sorted) -> [String] {
        let object = JSONValue.object(Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, JSONValue.number(Double($0))) }))
        let text = String(decoding: object.encoded(order), as: UTF8.self)
        return text.matches(of: /":(\d+)[,}]/).map { keys[Int($0.output.1)!] }
    }

    @Test func awkwardKeysAreWrittenInStringOrder() {
        #expect(Self.writtenKeys(Self.awkwardKeys) == Self.awkwardKeys.sorted())
    }

    @Test func randomKeysAreWrittenInStringOrder() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = ["a", "a", "b", "_", "Z", "0", "9", "~", "\u{0}", "é", "\u{301}", "日"]
        for _ in 0..<200 {
            var keys = Set<String>()
            for _ in 0..<Int.random(in: 1...30, using: &generator) {
                // A shared stem makes most prefixes equal, so the whole-key comparison is taken too.
                let stem = Bool.random(using: &generator) ? "customer" : ""
                keys.insert(stem + (0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined())
            }
            let expected = keys.sorted()
            #expect(Self.writtenKeys(expected.shuffled(using: &generator)) == expected)
        }
    }

    @Test func identityFirstKeepsTheRestInStringOrder() {
        let keys = Self.awkwardKeys + ["object", "id"]
        let rest = Self.awkwardKeys.sorted()
        #expect(Self.writtenKeys(keys, order: .identityFirst) == ["id", "object"] + rest)
    }
}
