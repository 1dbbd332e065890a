import Foundation
import Hummingbird

/// Requires a valid user JWT on every route it wraps (`/api/v1/...`) and puts the caller's
/// `Identity` on the context. A service token is not a user token and is refused here.
public struct UserAuthMiddleware: RouterMiddleware {
    public typealias Context = HubRequestContext
    let verifier: TokenVerifier

    public init(verifier: TokenVerifier) {
        self.verifier = verifier
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        do {
            let token = try BearerToken.extract(from: request)
            let identity = try await verifier.verify(token)
            context.identity = identity
            context.logger[metadataKey: "org_id"] = "\(identity.organizationID.uuidString.lowercased())"
        } catch {
            context.logger.info("token refused", metadata: ["reason": "\(error.reason)"])
            throw APIError.unauthorized(error.reason)
        }
        return try await next(request, context)
    }
}

/// Requires the service credential on `/internal/...` routes. A user token is refused even when
/// valid: internal routes hand out things (fresh access tokens) no user may ask for directly. A
/// request that came through a proxy finds no route at all, as `/readyz` does: services call each
/// other directly, and an Ingress's catch-all to the console must not reach its internal routes.
public struct InternalAuthMiddleware: RouterMiddleware {
    public typealias Context = HubRequestContext
    let token: String

    public init(token: String) {
        self.token = token
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try OperationalRoutes.requireDirect(request)
        let presented: String
        do {
            presented = try BearerToken.extract(from: request)
        } catch {
            throw APIError.unauthorized(error.reason)
        }
        guard ConstantTime.equals(presented, token) else {
            context.logger.warning("internal route refused a credential that is not the service token")
            throw APIError.unauthorized("service credential required")
        }
        return try await next(request, context)
    }
}

enum BearerToken {
    static func extract(from request: Request) throws(TokenError) -> String {
        guard let header = request.headers[.authorization] else { throw .missing }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else { throw .malformedHeader }
        return String(parts[1]).trimmingWhitespace()
    }
}
