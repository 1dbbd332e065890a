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
        var bytes = (
            UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0),
            UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0)
        )
        withUnsafeMutableBytes(of: &bytes) { buffer in
            buffer.storeBytes(of: high, toByteOffset: 0, as: UInt64.self)
            buffer.storeBytes(of: low, toByteOffset: 8, as: UInt64.self)
            buffer[6] = (buffer[6] & 0x0F) | 0x40  // version 4
            buffer[8] = (buffer[8] & 0x3F) | 0x80  // RFC 4122 variant
        }
        return UUID(uuid: bytes)
    }

    /// A time-ordered (version 7, RFC 9562) UUID: 48 bits of Unix milliseconds, then random bits.
    /// For rows inserted in bulk (events, outbox entries): ids of one moment land on the same
    /// index leaves, where random ones dirty a leaf each and fill the WAL with full pages after
    /// every checkpoint (migration 0010 explains, and gives SQL the same: `hub_uuid_v7()`).
    /// Not for secrets or tokens: a third of it is the clock. Its random bits come from the
    /// process's shared buffer (`BatchRandomNumberGenerator`), not a system call each.
    public static func timeOrdered(at date: Date = Date()) -> UUID {
        var generator = BatchRandomNumberGenerator()
        return timeOrdered(at: date, using: &generator)
    }

    /// A time-ordered (version 7) UUID whose random bits come from `generator`.
    public static func timeOrdered(at date: Date, using generator: inout some RandomNumberGenerator) -> UUID {
        let milliseconds = UInt64(max(0, (date.timeIntervalSince1970 * 1_000).rounded(.down))) & 0xFFFF_FFFF_FFFF
        let random = random(using: &generator)
        var bytes = random.uuid
        withUnsafeMutableBytes(of: &bytes) { buffer in
            for index in 0..<6 { buffer[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index))) }
            buffer[6] = (buffer[6] & 0x0F) | 0x70  // version 7; the variant stays RFC 4122's
        }
        return UUID(uuid: bytes)
    }
}
