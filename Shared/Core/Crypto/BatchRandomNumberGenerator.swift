import Crypto

/// Random numbers drawn from swift-crypto 4 KiB at a time. `SystemRandomNumberGenerator` makes a
/// `getrandom` system call for every 8 bytes: two per UUID, and a pull takes one event id per
/// record it writes. For one batch of ids (a pull write's events), made where it is used.
public struct BatchRandomNumberGenerator: RandomNumberGenerator {
    private var numbers: [UInt64] = []
    private var index = 0

    public init() {}

    public mutating func next() -> UInt64 {
        if index == numbers.count { refill() }
        defer { index += 1 }
        return numbers[index]
    }

    private mutating func refill() {
        // A key's bytes come from BoringSSL's CSPRNG (RAND_bytes), in one call.
        let key = SymmetricKey(size: SymmetricKeySize(bitCount: 4096 * 8))
        numbers = key.withUnsafeBytes { bytes in
            (0..<(bytes.count / 8)).map { bytes.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self) }
        }
        index = 0
    }
}
