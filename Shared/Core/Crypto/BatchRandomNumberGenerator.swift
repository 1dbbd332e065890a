import Crypto
import Synchronization

/// Random numbers for ids, drawn from swift-crypto 4 KiB at a time into one buffer the whole
/// process shares (behind a lock). `SystemRandomNumberGenerator` makes a `getrandom` system call
/// for every 8 bytes, two per UUID. A buffer per use was no better where a use is small: inbound
/// processing wrote one record, so one event id, per webhook, and refilling 4 KiB for it took a
/// fifth of webhook-service's CPU. Not for secrets: the bytes are random, but ids are not keys.
public struct BatchRandomNumberGenerator: RandomNumberGenerator {
    private static let pool = Mutex(Pool())

    public init() {}

    public mutating func next() -> UInt64 {
        Self.pool.withLock { $0.next() }
    }

    private struct Pool {
        var numbers: [UInt64] = []
        var index = 0

        mutating func next() -> UInt64 {
            if index == numbers.count { refill() }
            defer { index += 1 }
            return numbers[index]
        }

        mutating func refill() {
            // A key's bytes come from BoringSSL's CSPRNG (RAND_bytes), in one call.
            let key = SymmetricKey(size: SymmetricKeySize(bitCount: 4096 * 8))
            numbers = key.withUnsafeBytes { bytes in
                (0..<(bytes.count / 8)).map { bytes.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self) }
            }
            index = 0
        }
    }
}
