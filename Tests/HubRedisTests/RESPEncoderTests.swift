import NIOCore
import Testing

@testable import HubRedis

/// The bytes the encoder writes for every kind of argument, lengths and integers written as
/// decimals straight into the buffer, and the same through a real Redis at the extremes.
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
        var buffer = ByteBuffer()
        buffer.writeDecimal(value)
        #expect(buffer.readableBytes == ByteBuffer.decimalCount(value))
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
