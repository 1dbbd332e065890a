import Foundation

/// Where the servers the test command started are. `scripts/test` exports these; running
/// `swift test` by hand needs the same variables (see the README).
public enum TestEnvironment {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// A PostgreSQL URL whose role may create databases.
    public static var databaseURL: String {
        get throws { try required("HUB_TEST_DATABASE_URL") }
    }

    public static var redisURL: String {
        get throws { try required("HUB_TEST_REDIS_URL") }
    }

    /// The folder with the built executables (`swift build --show-bin-path`).
    public static var binDirectory: URL {
        get throws {
            if let path = environment["HUB_TEST_BIN_DIR"] { return URL(fileURLWithPath: path) }
            // `swift test` runs from the package root with the bin dir next to the test bundle.
            let bundle = Bundle.main.bundleURL
            return bundle.lastPathComponent.hasSuffix(".xctest") ? bundle.deletingLastPathComponent() : bundle
        }
    }

    static func required(_ name: String) throws -> String {
        guard let value = environment[name], !value.isEmpty else {
            throw TestEnvironmentError.missing(name)
        }
        return value
    }
}

public enum TestEnvironmentError: Error, CustomStringConvertible {
    case missing(String)

    public var description: String {
        switch self {
        case .missing(let name): "\(name) is not set: run the tests with scripts/test, which starts PostgreSQL and Redis"
        }
    }
}
