import Foundation
import Synchronization

/// A loopback TCP port nobody is listening on right now, for a server a test starts a moment
/// later. Taken below the kernel's ephemeral range: a port the kernel handed out for `bind(0)`
/// is also what it gives outgoing connections, and in a suite opening thousands of them one took
/// such a port before the test's server bound it. Never the same port twice in one process. (A
/// machine whose ephemeral range starts at 21000 or lower leaves no room below it: there the ports
/// come from 20000–20999 and may meet outgoing connections again.)
public func freePort() throws -> Int {
    let (low, high) = FreePorts.range
    for _ in 0..<200 {
        let port = Int.random(in: low...high)
        guard FreePorts.handOut(port) else { continue }
        if FreePorts.bindable(port) { return port }
    }
    throw POSIXError(.EADDRINUSE)
}

enum FreePorts {
    static let given = Mutex<Set<Int>>([])

    /// From 20000 up to just below the ephemeral range (`ip_local_port_range`, 32768 by default).
    static let range: (Int, Int) = {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let ephemeralLow = text.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 32_768
        return (20_000, max(20_999, min(ephemeralLow, 65_536) - 1))
    }()

    /// False if this process handed the port out before.
    static func handOut(_ port: Int) -> Bool {
        given.withLock { $0.insert(port).inserted }
    }

    static func bindable(_ port: Int) -> Bool {
        let fd = loopbackTCPSocket()
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopbackAddress(port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return bound == 0
    }
}

func loopbackTCPSocket() -> Int32 {
    #if canImport(Glibc)
    socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    socket(AF_INET, SOCK_STREAM, 0)
    #endif
}

/// 127.0.0.1:`port`.
func loopbackAddress(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    return address
}
