import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
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
        /// /dev/urandom, opened at the first refill; -1 until then, and again after it failed (the
        /// next refill tries anew).
        var device: Int32 = -1

        mutating func next() -> UInt64 {
            if index == numbers.count {
                #if canImport(Glibc) || canImport(Darwin)
                if device < 0 { device = open("/dev/urandom", O_RDONLY | O_CLOEXEC) }
                #endif
                let device = device
                let read = numbers.withUnsafeMutableBytes { BatchRandomNumberGenerator.fill($0, from: device) }
                if !read, device >= 0 {
                    #if canImport(Glibc) || canImport(Darwin)
                    close(device)
                    #endif
                    self.device = -1
                }
                index = 0
            }
            defer { index += 1 }
            return numbers[index]
        }
    }

    /// Fills `bytes` from `device` (/dev/urandom: one `read`, another only if one is interrupted or
    /// short), and whatever it did not give with the system generator, 8 bytes at a time. Returns
    /// whether the device gave every byte.
    @discardableResult
    static func fill(_ bytes: UnsafeMutableRawBufferPointer, from device: Int32) -> Bool {
        var filled = 0
        #if canImport(Glibc) || canImport(Darwin)
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
        let complete = filled == bytes.count
        var system = SystemRandomNumberGenerator()
        while filled < bytes.count {
            let word = system.next()
            withUnsafeBytes(of: word) { word in
                let count = min(word.count, bytes.count - filled)
                bytes.baseAddress!.advanced(by: filled).copyMemory(from: word.baseAddress!, byteCount: count)
                filled += count
            }
        }
        return complete
    }
}
