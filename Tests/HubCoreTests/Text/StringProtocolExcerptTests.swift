import HubCore
import Testing

@Suite struct StringProtocolExcerptTests {
    @Test func shortTextIsQuotedWholeAndLongTextIsCut() {
        #expect("customers".excerpt() == "customers")
        #expect(String(repeating: "a", count: 64).excerpt() == String(repeating: "a", count: 64))
        #expect(String(repeating: "a", count: 3_000).excerpt() == String(repeating: "a", count: 64) + "…")
        #expect("éééé".excerpt(2) == "éé…", "characters, not bytes")
    }
}
