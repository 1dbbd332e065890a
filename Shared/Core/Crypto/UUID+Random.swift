import Foundation

extension UUID {
    /// A random (version 4) UUID from the system's random generator. Foundation's `UUID()` on
    /// Linux opens, reads and closes `/dev/urandom` for every id; the event outbox takes one id per
    /// record a pull creates or changes, and that was most of the worker's system calls.
    public static func random() -> UUID {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// A random (version 4) UUID from `generator`.
    public static func random(using generator: inout some RandomNumberGenerator) -> UUID {
        let high = generator.next().bigEndian
        let low = generator.next().bigEndian
        var bytes = (UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0),
                     UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0))
        withUnsafeMutableBytes(of: &bytes) { buffer in
            buffer.storeBytes(of: high, toByteOffset: 0, as: UInt64.self)
            buffer.storeBytes(of: low, toByteOffset: 8, as: UInt64.self)
            buffer[6] = (buffer[6] & 0x0F) | 0x40  // version 4
            buffer[8] = (buffer[8] & 0x3F) | 0x80  // RFC 4122 variant
        }
        return UUID(uuid: bytes)
    }
}
