import Foundation
import PostgresNIO

/// A parsed `postgres://user:password@host:port/database?sslmode=…` URL.
public struct DatabaseURL: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    /// `disable` (default on loopback), `prefer` or `require`.
    public var sslMode: String

    public init?(string: String) {
        guard let components = URLComponents(string: string),
            let scheme = components.scheme, scheme == "postgres" || scheme == "postgresql",
            let host = components.host, !host.isEmpty,
            let user = components.user, !user.isEmpty
        else { return nil }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { return nil }
        // `[::1]` arrives in brackets; the driver wants the bare address.
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = components.port ?? 5432
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database
        let mode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "disable"
        guard ["disable", "prefer", "require"].contains(mode) else { return nil }
        self.sslMode = mode
    }

    /// The URL with its password masked, for logs and `hubctl config`.
    public var redacted: String { string(encodedPassword: password.map { _ in "***" }) }

    /// The URL as a string again, password included: for a child process's `DATABASE_URL`
    /// (tests, benchmarks), never for logs.
    public var urlString: String { string(encodedPassword: password.map(Self.encodeUserInfo)) }

    private func string(encodedPassword: String?) -> String {
        // Encoded again as parsing decoded them: a password holding `@`, `:`, `/` or `%` must come
        // back as the same URL (a child process given the raw text would connect as someone else,
        // or not at all). An IPv6 host goes back in brackets.
        let user = Self.encodeUserInfo(username) + (encodedPassword.map { ":" + $0 } ?? "")
        let hostText = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)@\(hostText):\(port)/\(database)?sslmode=\(sslMode)"
    }

    /// Everything but RFC 3986's unreserved characters percent-encoded.
    private static func encodeUserInfo(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// The same server, another database: tests make throwaway databases this way.
    public func with(database: String) -> DatabaseURL {
        var copy = self
        copy.database = database
        return copy
    }

    /// The pool configuration for this URL, with at most `maximumConnections` connections, its
    /// sessions named `applicationName` (what `pg_stat_activity` shows an operator, and what a
    /// test picks one service's sessions by) and, unless `statementTimeoutSeconds` is 0, ending any
    /// statement running that long.
    public func clientConfiguration(
        maximumConnections: Int = 10,
        applicationName: String? = nil,
        statementTimeoutSeconds: Int = 0
    ) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case "require": tls = .require(.makeClientConfiguration())
        case "prefer": tls = .prefer(.makeClientConfiguration())
        default: tls = .disable
        }
        var configuration = PostgresClient.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: tls
        )
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(5)
        // Startup parameters other than the protocol's own are settings for the session.
        var settings: [(String, String)] = []
        if let applicationName { settings.append(("application_name", applicationName)) }
        if statementTimeoutSeconds > 0 {
            // Not idle_in_transaction_session_timeout: a statement sent on a session the server
            // ended that way hangs in postgres-nio 1.33.2 until the caller gives up.
            settings.append(("statement_timeout", "\(statementTimeoutSeconds)s"))
        }
        configuration.options.additionalStartupParameters = settings
        return configuration
    }
}
