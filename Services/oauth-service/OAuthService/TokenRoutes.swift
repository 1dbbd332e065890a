import Foundation
import HubConnections
import HubCore
import Hummingbird
import ServiceEdge

/// `GET /internal/connections/{id}/access-token?organization=<uuid>[&force=true]`: a valid
/// access token for other services (service token only), refreshed first when it expires soon
/// or when the caller saw the provider refuse it (`force`). One refresh per connection across
/// every replica (see `TokenBroker`).
///
/// `POST /internal/connections/{id}/revoke?organization=<uuid>`: revokes the grant at the provider
/// (connection-service's disconnect), with the client registration only this service holds.
/// Idempotent: a connection already disconnected, or a grant already revoked, answers 200 with
/// what was done (`attempted: false` when there was nothing left to revoke).
struct TokenRoutes {
    let lifecycle: ConnectionLifecycle

    struct AccessToken: ResponseEncodable {
        var accessToken: String
        var tokenType = "bearer"
        var expiresAt: Date?

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case tokenType = "token_type"
            case expiresAt = "expires_at"
        }
    }

    struct Revoked: ResponseEncodable {
        var revocation: Revocation

        func encode(to encoder: any Encoder) throws { try revocation.encode(to: encoder) }
    }

    func add(to group: RouterGroup<HubRequestContext>) {
        group.get("connections/:id/access-token") { request, context -> AccessToken in
            let connection = try await connection(request, context)
            guard connection.status != .disconnected else { throw APIError.notFound("connection") }
            guard connection.status != .reauthRequired else {
                throw APIError.conflict("the connection needs to be authorized again", code: "reauth_required")
            }
            let query = request.uri.queryParameters
            let force = query["force"].map { $0 == "true" || $0 == "1" } ?? false
            let fields = try await lifecycle.tokens.freshCredentials(for: connection, actor: "oauth-service", force: force)
            guard let token = fields["access_token"] else {
                throw APIError.conflict("the connection has no access token", code: "no_access_token")
            }
            let current = try await lifecycle.repository.get(organization: connection.organizationID, id: connection.id)
            return AccessToken(accessToken: token, expiresAt: current?.tokenExpiresAt)
        }
        group.post("connections/:id/revoke") { request, context -> Revoked in
            let connection = try await connection(request, context)
            return Revoked(revocation: await lifecycle.tokens.revoke(connection, actor: "oauth-service"))
        }
    }

    /// The connection the path and the `organization` query name; 404 for another organization's.
    func connection(_ request: Request, _ context: HubRequestContext) async throws -> Connection {
        guard let organization = request.uri.queryParameters["organization"].flatMap({ UUID(uuidString: String($0)) }) else {
            throw APIError.validation("'organization' must be the connection's organization id", field: "organization")
        }
        guard let id = UUID(uuidString: try context.parameters.require("id")),
            let connection = try await lifecycle.repository.get(organization: organization, id: id)
        else { throw APIError.notFound("connection") }
        return connection
    }
}
