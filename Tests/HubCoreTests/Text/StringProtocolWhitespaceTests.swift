import HubCore
import Testing

@Suite struct StringProtocolWhitespaceTests {
    @Test(arguments: [
        ("  Bearer abc \t", "Bearer abc"),
        ("\n\r\tvalue\r\n", "value"),
        ("inner  space kept", "inner  space kept"),
        ("\u{00A0}\u{2003}nbsp and em space\u{3000}", "nbsp and em space"),
        ("   ", ""),
        ("", ""),
        ("é", "é"),
    ])
    func trimsLeadingAndTrailingWhitespaceOnly(input: String, expected: String) {
        #expect(input.trimmingWhitespace() == expected)
        #expect(input[...].trimmingWhitespace() == expected, "a Substring trims the same")
    }
}
