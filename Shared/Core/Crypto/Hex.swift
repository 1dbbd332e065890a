import Crypto
import Foundation

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, two digits a byte.
    public var hexString: String {
        map { String(format: "%02x", $0) }.joined()
    }
}

/// SHA-256 of some bytes as lower-case hex: checksums and ETags.
public func sha256Hex(_ bytes: some DataProtocol) -> String {
    SHA256.hash(data: bytes).hexString
}

/// SHA-256 of some bytes (PKCE challenges, body hashes).
public func sha256(_ bytes: some DataProtocol) -> [UInt8] {
    Array(SHA256.hash(data: bytes))
}
