/// Writes RESP into memory the encoder reserved for one whole command. `ByteBuffer`'s own writes
/// each check exclusivity and capacity, and an event's XADD took about 80 of them; here each
/// write is a bounds check and a copy.
struct RESPWriter {
    private let memory: UnsafeMutableRawBufferPointer
    private(set) var count = 0

    init(_ memory: UnsafeMutableRawBufferPointer) {
        self.memory = memory
    }

    /// `*<n>\r\n` or `$<n>\r\n`.
    mutating func header(_ marker: UInt8, _ value: Int) {
        byte(marker)
        decimal(value)
        crlf()
    }

    mutating func crlf() {
        byte(UInt8(ascii: "\r"))
        byte(UInt8(ascii: "\n"))
    }

    mutating func byte(_ value: UInt8) {
        precondition(count < memory.count, "RESP written past the command's reserved bytes")
        memory[count] = value
        count += 1
    }

    mutating func bytes(_ source: UnsafeRawBufferPointer) {
        precondition(source.count <= memory.count - count, "RESP written past the command's reserved bytes")
        UnsafeMutableRawBufferPointer(rebasing: memory[count...]).copyMemory(from: source)
        count += source.count
    }

    mutating func utf8(_ text: String) {
        let copied: Void? = text.utf8.withContiguousStorageIfAvailable { bytes(UnsafeRawBufferPointer($0)) }
        if copied == nil {
            for unit in text.utf8 { byte(unit) }
        }
    }

    /// `value` in decimal ASCII, a `-` first if it is negative, without making a `String`.
    mutating func decimal(_ value: Int) {
        let width = Self.decimalCount(value)
        precondition(width <= memory.count - count, "RESP written past the command's reserved bytes")
        var magnitude = value.magnitude
        var index = count + width
        repeat {
            index -= 1
            memory[index] = UInt8(truncatingIfNeeded: magnitude % 10) &+ UInt8(ascii: "0")
            magnitude /= 10
        } while magnitude > 0
        if value < 0 { memory[count] = UInt8(ascii: "-") }
        count += width
    }

    /// How many bytes `decimal(value)` writes.
    static func decimalCount(_ value: Int) -> Int {
        var magnitude = value.magnitude
        var count = value < 0 ? 2 : 1
        while magnitude >= 10 {
            magnitude /= 10
            count += 1
        }
        return count
    }

    /// The bytes of a header (`*3\r\n`).
    static func headerCount(_ value: Int) -> Int { 3 + decimalCount(value) }
}
