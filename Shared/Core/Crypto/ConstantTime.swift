import Crypto

/// Comparison of secrets and signatures that takes the same time whether they differ in the
/// first byte or the last, so an attacker cannot find a valid value byte by byte.
public enum ConstantTime {
    /// Whether two byte strings are equal. Both are hashed first (swift-crypto compares digests in
    /// constant time), which also hides the length of the expected value.
    public static func equals(_ lhs: some Sequence<UInt8>, _ rhs: some Sequence<UInt8>) -> Bool {
        SHA256.hash(data: Array(lhs)) == SHA256.hash(data: Array(rhs))
    }

    public static func equals(_ lhs: String, _ rhs: String) -> Bool {
        equals(Array(lhs.utf8), Array(rhs.utf8))
    }
}
