import NIOCore
import Testing

@testable import HubRedis

/// The bytes the encoder writes for every kind of argument, lengths and integers written as
/// decimals straight into the reserved memory, and the same through a real Redis at the extremes.
@Suite struct RESPEncoderTests {
    static func encoded(_ commands: [[RESPArgument]]) -> String {
        var buffer = ByteBuffer()
        RESPEncoder().encode(data: commands, out: &buffer)
        return String(buffer: buffer)
    }

    @Test func everyArgumentIsABulkStringOfItsLength() {
        let command: [RESPArgument] = ["XADD", "s", .integer(0), .integer(-7), .integer(1_234_567), .bytes(ByteBuffer(string: "a\r\nb")), 1.5, ""]
        #expect(
            Self.encoded([command, ["PING"]])
                == "*8\r\n$4\r\nXADD\r\n$1\r\ns\r\n$1\r\n0\r\n$2\r\n-7\r\n$7\r\n1234567\r\n$4\r\na\r\nb\r\n$3\r\n1.5\r\n$0\r\n\r\n"
                + "*1\r\n$4\r\nPING\r\n"
        )
    }

    @Test(arguments: [0, 9, 10, 99, 100, -1, -10, Int.max, Int.min])
    func integersAreWrittenInDecimal(value: Int) {
        let text = String(value)
        #expect(Self.encoded([[.integer(value)]]) == "*1\r\n$\(text.utf8.count)\r\n\(text)\r\n")
        #expect(RESPWriter.decimalCount(value) == text.utf8.count)
    }

    /// Each command is reserved and written whole, after what the buffer already holds; a byte
    /// argument that is a slice of a larger buffer sends only its readable bytes.
    @Test func commandsFollowWhatTheBufferHoldsAndSlicesSendTheirReadableBytes() {
        var buffer = ByteBuffer(string: "already here|")
        _ = buffer.readBytes(length: 3)
        var backing = ByteBuffer(string: "skip-value-tail")
        let slice = backing.readSlice(length: 10)!.getSlice(at: 5, length: 5)!
        let commands: [[RESPArgument]] = (0..<500).map { ["SET", .string("key\($0)"), .bytes(slice), .integer($0)] }
        RESPEncoder().encode(data: commands, out: &buffer)
        var expected = "eady here|"
        for index in 0..<500 {
            let key = "key\(index)"
            expected += "*4\r\n$3\r\nSET\r\n$\(key.utf8.count)\r\n\(key)\r\n$5\r\nvalue\r\n$\(String(index).utf8.count)\r\n\(index)\r\n"
        }
        #expect(String(buffer: buffer) == expected)
    }

    @Test func aLongCommandAndLargeValuesKeepTheirLengths() {
        let value = String(repeating: "é", count: 70_000)  // 140,000 bytes
        let command = [RESPArgument](repeating: "x", count: 1_000) + [.string(value)]
        let text = Self.encoded([command])
        #expect(text.hasPrefix("*1001\r\n$1\r\nx\r\n"))
        #expect(text.hasSuffix("$140000\r\n\(value)\r\n"))
    }

    @Test func integersAtTheExtremesReachRedisAsWritten() async throws {
        try await withRedis { _, client in
            for value in [Int.max, Int.min, -1, 0] {
                try await client.send("SET", "n", value)
                #expect(try await client.send("GET", "n").string == String(value))
            }
            #expect(try await client.send("INCRBY", "n", -42) == .integer(-42))
        }
    }
}
