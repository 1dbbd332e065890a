import Crypto
import Foundation

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, two digits a byte.
    public var hexString: String {
        // Hot in the sync engine (a content hash per record): no formatter per byte.
        var out: [UInt8] = []
        out.reserveCapacity(underestimatedCount * 2)
        for byte in self { out.appendHex(byte) }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    /// A byte's two lower-case hex digits.
    mutating func appendHex(_ byte: UInt8) {
        let digits: StaticString = "0123456789abcdef"
        append(digits.utf8Start[Int(byte >> 4)])
        append(digits.utf8Start[Int(byte & 0x0F)])
    }
}

/// SHA-256 of some bytes as lower-case hex: checksums and ETags.
public func sha256Hex(_ bytes: some DataProtocol) -> String {
    // Contiguous bytes (a record's payload, once per pulled record) skip `DataProtocol`'s
    // walk over regions.
    let contiguous = bytes.withContiguousStorageIfAvailable { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
    return (contiguous ?? SHA256.hash(data: bytes)).hexString
}

/// SHA-256 of some bytes (PKCE challenges, body hashes).
public func sha256(_ bytes: some DataProtocol) -> [UInt8] {
    Array(SHA256.hash(data: bytes))
}

extension UUID {
    /// The lower-case text form (`uuidString.lowercased()`) appended as bytes: an event's data
    /// names its record's id, and the two intermediate strings cost more than the writing.
    public func appendLowercaseText(to buffer: inout [UInt8]) {
        withUnsafeBytes(of: uuid) { bytes in
            for (index, byte) in bytes.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { buffer.append(UInt8(ascii: "-")) }
                buffer.appendHex(byte)
            }
        }
    }
}
