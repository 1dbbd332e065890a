import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Random numbers for ids, read from the kernel 4 KiB at a time into one buffer the whole process
/// shares (behind a lock). `SystemRandomNumberGenerator` makes a `getrandom` system call for every
/// 8 bytes, two per UUID, and so does swift-crypto's key generation, which filled this buffer
/// before (512 calls a refill, 3 % of sync-worker's samples in a pull). A buffer per use was no
/// better where a use is small: inbound processing writes one record, so one event id, per webhook.
/// Not for secrets: the bytes are random, but ids are not keys.
public struct BatchRandomNumberGenerator: RandomNumberGenerator {
    private static let pool = Mutex(Pool())

    public init() {}

    public mutating func next() -> UInt64 {
        Self.pool.withLock { $0.next() }
    }

    private struct Pool {
        var numbers = [UInt64](repeating: 0, count: 512)
        var index = 512

        mutating func next() -> UInt64 {
            if index == numbers.count {
                numbers.withUnsafeMutableBytes { BatchRandomNumberGenerator.fill($0, from: Self.device) }
                index = 0
            }
            defer { index += 1 }
            return numbers[index]
        }

        /// The kernel's CSPRNG as a file, opened once (-1: not available, e.g. no /dev in a chroot).
        #if canImport(Glibc)
        static let device = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        #else
        static let device: Int32 = -1
        #endif
    }

    /// Fills `bytes` from the kernel's CSPRNG: one `read` of `device` (/dev/urandom; another only
    /// if one is interrupted or short), or 8 bytes at a time where the device cannot be read.
    static func fill(_ bytes: UnsafeMutableRawBufferPointer, from device: Int32) {
        var filled = 0
        #if canImport(Glibc)
        while device >= 0, filled < bytes.count {
            let count = read(device, bytes.baseAddress! + filled, bytes.count - filled)
            if count > 0 {
                filled += count
            } else if count < 0, errno == EINTR {
                continue
            } else {
                break
            }
        }
        #endif
        var system = SystemRandomNumberGenerator()
        while filled < bytes.count {
            let word = system.next()
            withUnsafeBytes(of: word) { word in
                let count = min(word.count, bytes.count - filled)
                bytes.baseAddress!.advanced(by: filled).copyMemory(from: word.baseAddress!, byteCount: count)
                filled += count
            }
        }
    }
}
