import Crypto
import Foundation

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, two digits a byte.
    public var hexString: String {
        // Hot in the sync engine (a content hash per record): no formatter per byte.
        let digits: StaticString = "0123456789abcdef"
        var out: [UInt8] = []
        out.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            out.append(digits.utf8Start[Int(byte >> 4)])
            out.append(digits.utf8Start[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
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

extension UUID {
    /// The lower-case text form (`uuidString.lowercased()`) appended as bytes: an event's data
    /// names its record's id, and the two intermediate strings cost more than the writing.
    public func appendLowercaseText(to buffer: inout [UInt8]) {
        let digits: StaticString = "0123456789abcdef"
        withUnsafeBytes(of: uuid) { bytes in
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { buffer.append(UInt8(ascii: "-")) }
                buffer.append(digits.utf8Start[Int(byte >> 4)])
                buffer.append(digits.utf8Start[Int(byte & 0x0F)])
            }
        }
    }
}
