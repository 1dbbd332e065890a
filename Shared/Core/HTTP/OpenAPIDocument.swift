import Foundation

/// A service's published API description (OpenAPI 3), kept in the repo beside the service and
/// served at `GET /openapi.json`. Tests compare it with the routes the router really has.
public struct OpenAPIDocument: Sendable {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Loads `openapi.json` from a service module's bundle.
    public init(bundle: Bundle) throws {
        guard let url = bundle.url(forResource: "openapi", withExtension: "json") else {
            throw ConfigurationError(problems: ["openapi.json is missing from the \(bundle.bundlePath) bundle"])
        }
        self.bytes = Array(try Data(contentsOf: url))
    }

    /// `(METHOD, path)` pairs the document declares, paths as written (`/things/{id}`).
    public func operations() throws -> Set<RouteKey> {
        guard case .object(let root) = try JSONDecoder().decode(JSONValue.self, from: Data(bytes)),
            case .object(let paths) = root["paths"]
        else { return [] }
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        var result: Set<RouteKey> = []
        for (path, item) in paths {
            guard case .object(let operations) = item else { continue }
            for method in operations.keys where methods.contains(method) {
                result.insert(RouteKey(method: method.uppercased(), path: path))
            }
        }
        return result
    }
}

/// A method and a path with parameters written `{name}`, for comparing routers with documents.
public struct RouteKey: Hashable, Sendable, CustomStringConvertible {
    public var method: String
    public var path: String

    public init(method: String, path: String) {
        self.method = method
        // Hummingbird writes parameters `:name`; OpenAPI writes `{name}`.
        self.path =
            "/"
            + path.split(separator: "/").map { segment in
                segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
            }.joined(separator: "/")
    }

    public var description: String { "\(method) \(path)" }
}
