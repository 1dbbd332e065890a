import NIOCore

extension ByteBuffer {
    /// Writes `value` in decimal ASCII, a `-` first if it is negative, without making a `String`:
    /// RESP writes a length before every command and every argument.
    mutating func writeDecimal(_ value: Int) {
        var magnitude = value.magnitude
        // 19 digits and a sign hold Int.min.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var index = digits.count
            repeat {
                index -= 1
                digits[index] = UInt8(truncatingIfNeeded: magnitude % 10) &+ UInt8(ascii: "0")
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                index -= 1
                digits[index] = UInt8(ascii: "-")
            }
            writeBytes(UnsafeBufferPointer(rebasing: digits[index...]))
        }
    }

    /// How many bytes `writeDecimal(value)` writes.
    static func decimalCount(_ value: Int) -> Int {
        var magnitude = value.magnitude
        var count = value < 0 ? 2 : 1
        while magnitude >= 10 {
            magnitude /= 10
            count += 1
        }
        return count
    }
}
