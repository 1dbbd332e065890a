/// Proof of holding a ``RedisLock``: the key and the random token stored in it.
///
/// Only the holder knows the token, so only the holder can extend or release the lock; a
/// holder whose lease expired and was taken over cannot touch the new holder's lock.
public struct RedisLockLease: Sendable, Hashable {
    /// The locked key.
    public let key: String
    /// 128 random bits in hex, unique to this acquisition.
    public let token: String

    public init(key: String, token: String) {
        self.key = key
        self.token = token
    }

    /// A fresh random token from the system's cryptographically secure generator.
    public static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return [generator.next(), generator.next()].map { (half: UInt64) in
            let digits = String(half, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }
}
