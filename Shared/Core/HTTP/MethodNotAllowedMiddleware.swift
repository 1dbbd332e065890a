import Hummingbird
import Synchronization

/// 405 with `Allow` (RFC 9110 §15.5.6) for a path the service serves with other methods, instead
/// of Hummingbird's 404: the router answers 404 for any (path, method) it has no handler for.
/// Thrown as an `APIError`, so `ErrorMiddleware` renders it in the hub's error envelope.
/// `HubApplication` hands it the router's routes once they are all added.
public struct MethodNotAllowedMiddleware: RouterMiddleware {
    public typealias Context = HubRequestContext

    /// The routes, filled in once after the service added its handlers.
    final class Routes: Sendable {
        let table = Mutex<[(segments: [Substring], methods: Set<HTTPRequest.Method>)]>([])

        func load(_ routes: [Router<HubRequestContext>.RouteDescription]) {
            var byPath: [String: Set<HTTPRequest.Method>] = [:]
            for route in routes { byPath[route.path.description, default: []].insert(route.method) }
            table.withLock { table in
                table = byPath.map { (Self.segments($0.key), $0.value) }
            }
        }

        /// The methods of the route the router would resolve `path` to: where several patterns
        /// match, the one with constant segments first, as the router's trie prefers them.
        func methods(for path: String) -> Set<HTTPRequest.Method> {
            let segments = Self.segments(path)
            return table.withLock { table in
                var best: (rank: [Int], methods: Set<HTTPRequest.Method>)?
                for route in table where route.segments.count == segments.count {
                    var rank: [Int] = []
                    var matches = true
                    for (pattern, segment) in zip(route.segments, segments) {
                        if pattern.hasPrefix(":") || pattern.hasPrefix("{") || pattern == "*" {
                            rank.append(0)
                        } else if pattern == segment {
                            rank.append(1)
                        } else {
                            matches = false
                            break
                        }
                    }
                    guard matches else { continue }
                    if let current = best, !current.rank.lexicographicallyPrecedes(rank) { continue }
                    best = (rank, route.methods)
                }
                return best?.methods ?? []
            }
        }

        static func segments(_ path: String) -> [Substring] {
            path.split(separator: "/", omittingEmptySubsequences: true)
        }
    }

    let routes: Routes

    init(routes: Routes) {
        self.routes = routes
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            // Only the router's own "no route" reaches here as an `HTTPError`; handlers throw `APIError`.
            let allowed = routes.methods(for: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method) else { throw error }
            let allow = allowed.map(\.rawValue).sorted().joined(separator: ", ")
            throw APIError(
                .methodNotAllowed,
                code: "method_not_allowed",
                message: "\(request.method.rawValue) is not allowed on this path; allowed: \(allow)",
                headers: [.allow: allow]
            )
        }
    }
}
