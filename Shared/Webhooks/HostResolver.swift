import NIOPosix

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Turns a host name into addresses. The system resolver is the real one; tests substitute one
/// that answers differently on each call, as a DNS-rebinding attacker's server would.
public protocol HostResolver: Sendable {
    /// The addresses (4 or 16 bytes each) the host name has now.
    func resolve(host: String) async throws -> [[UInt8]]
}

/// `getaddrinfo` on NIO's blocking-work thread pool, so a slow DNS answer never blocks an event
/// loop or the concurrency pool.
public struct SystemHostResolver: HostResolver {
    public init() {}

    public func resolve(host: String) async throws -> [[UInt8]] {
        if let literal = IPAddressRange.parse(host) { return [literal] }
        return try await NIOThreadPool.singleton.runIfActive {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var result: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
            defer { freeaddrinfo(first) }
            var addresses: [[UInt8]] = []
            var cursor: UnsafeMutablePointer<addrinfo>? = first
            while let info = cursor {
                if let sockaddr = info.pointee.ai_addr {
                    switch Int32(info.pointee.ai_family) {
                    case AF_INET:
                        sockaddr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                            var address = v4.pointee.sin_addr
                            addresses.append(withUnsafeBytes(of: &address) { Array($0) })
                        }
                    case AF_INET6:
                        sockaddr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                            var address = v6.pointee.sin6_addr
                            addresses.append(withUnsafeBytes(of: &address) { Array($0) })
                        }
                    default: break
                    }
                }
                cursor = info.pointee.ai_next
            }
            var seen = Set<[UInt8]>()
            return addresses.filter { seen.insert($0).inserted }
        }
    }
}
