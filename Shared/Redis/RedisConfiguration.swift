/// Where and how ``RedisClient`` connects, built once at start-up and validated there.
///
/// Usually parsed from a URL (`REDIS_URL`), with the timeouts left at their defaults. The
/// password is kept out of ``description`` so the configuration can be logged.
public struct RedisConfiguration: Sendable, Hashable {
    /// Host name or IP address of the server.
    public var host: String
    /// TCP port of the server.
    public var port: Int
    /// ACL user name for `AUTH username password` (Redis 6+); `nil` for the default user.
    public var username: String?
    /// Password sent with `AUTH` on every new connection; `nil` when the server has none.
    public var password: String?
    /// Database index selected with `SELECT` on every new connection.
    public var database: Int
    /// How long opening a TCP connection may take before the command that needed it fails with
    /// ``RedisError/connectionFailed(_:)``.
    public var connectTimeout: Duration
    /// How long a command may wait for its reply (blocking commands get their block time on top).
    public var commandTimeout: Duration
    /// Upper bound of the exponential backoff between reconnect attempts while Redis is down.
    /// Commands arriving during the backoff fail at once instead of queueing.
    public var maxReconnectBackoff: Duration
    /// How many idle connections for blocking commands (`XREADGROUP … BLOCK`, `BLPOP`) are kept
    /// open for reuse; more are opened when needed and closed after use.
    public var maxIdleBlockingConnections: Int

    /// Creates a configuration from its parts; every timeout has a server-friendly default.
    public init(
        host: String = "127.0.0.1",
        port: Int = 6379,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0,
        connectTimeout: Duration = .seconds(5),
        commandTimeout: Duration = .seconds(5),
        maxReconnectBackoff: Duration = .seconds(1),
        maxIdleBlockingConnections: Int = 4
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.maxReconnectBackoff = maxReconnectBackoff
        self.maxIdleBlockingConnections = maxIdleBlockingConnections
    }

    /// Parses `redis://[[username]:password@]host[:port][/database]`.
    ///
    /// User information without a colon is taken as the password (`redis://secret@host`), as
    /// most Redis clients do. Percent-encoded characters in the user information are decoded.
    /// IPv6 hosts go in brackets (`redis://[::1]:6379`). `rediss://` (TLS) is not supported.
    public init(url: String) throws {
        self.init()
        let schemePrefix = "redis://"
        guard url.hasPrefix(schemePrefix) else {
            throw RedisError.invalidURL("the URL must start with redis://")
        }
        var rest = Substring(url.dropFirst(schemePrefix.count))
        if let query = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            rest = rest[..<query]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        if let at = rest.lastIndex(of: "@") {
            try self.parseUserInfo(rest[..<at])
            rest = rest[rest.index(after: at)...]
        }
        try self.parseHostAndPort(rest)
        if !path.isEmpty {
            guard let database = Int(path), database >= 0 else {
                throw RedisError.invalidURL("the path must be a database number")
            }
            self.database = database
        }
    }

    private mutating func parseUserInfo(_ userInfo: Substring) throws {
        if let colon = userInfo.firstIndex(of: ":") {
            let user = try Self.percentDecode(userInfo[..<colon])
            self.username = user.isEmpty ? nil : user
            self.password = try Self.percentDecode(userInfo[userInfo.index(after: colon)...])
        } else if !userInfo.isEmpty {
            self.password = try Self.percentDecode(userInfo)
        }
    }

    private mutating func parseHostAndPort(_ authority: Substring) throws {
        var host = authority
        var port: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw RedisError.invalidURL("unterminated IPv6 address")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let afterBracket = authority[authority.index(after: close)...]
            if afterBracket.hasPrefix(":") {
                port = afterBracket.dropFirst()
            } else if !afterBracket.isEmpty {
                throw RedisError.invalidURL("unexpected characters after the IPv6 address")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            port = authority[authority.index(after: colon)...]
        }
        guard !host.isEmpty else {
            throw RedisError.invalidURL("the host is missing")
        }
        self.host = String(host)
        if let port {
            guard let number = Int(port), (1...65535).contains(number) else {
                throw RedisError.invalidURL("the port must be a number from 1 to 65535")
            }
            self.port = number
        }
    }

    private static func percentDecode(_ text: Substring) throws -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(Self.hexValue), let low = iterator.next().flatMap(Self.hexValue)
            else {
                throw RedisError.invalidURL("malformed percent-encoding in the user information")
            }
            bytes.append(high << 4 | low)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension RedisConfiguration: CustomStringConvertible {
    /// The configuration as a URL with the password masked, safe to log.
    public var description: String {
        let credentials: String
        switch (self.username, self.password) {
        case (nil, nil): credentials = ""
        case (let user?, nil): credentials = "\(user)@"
        case (let user, _?): credentials = "\(user ?? ""):***@"
        }
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return "redis://\(credentials)\(host):\(self.port)/\(self.database)"
    }
}
