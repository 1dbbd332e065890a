/// A deterministic random number generator (SplitMix64): the same seed yields the same seeded
/// data on every machine, so tests and benchmarks can name exact objects and counts.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// The generator after `draws` calls to `next()`, reached in one step: SplitMix64's state
    /// advances by the same constant each draw, so any record's draws can start where they
    /// would have started had every record before it been generated.
    public init(seed: UInt64, skipping draws: Int) {
        state = seed &+ UInt64(draws) &* Self.increment
    }

    /// This generator after `draws` more calls to `next()`.
    public func advanced(by draws: Int) -> SeededGenerator {
        var copy = self
        copy.state &+= UInt64(draws) &* Self.increment
        return copy
    }

    private static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    public mutating func next() -> UInt64 {
        state &+= Self.increment
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An identifier-safe random string of `length` characters from `[0-9A-Za-z]`.
    public mutating func token(_ length: Int) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        return String((0..<length).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] })
    }

    /// A 64-bit hash that is the same in every process (FNV-1a; Swift's `hashValue` is seeded
    /// per process).
    public static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hash
    }
}
