import Foundation
import HubConnections
import HubCore
import Hummingbird
import ServiceEdge

/// `GET /internal/connections/{id}/access-token?organization=<uuid>[&force=true]`: a valid
/// access token for other services (service token only), refreshed first when it expires soon
/// or when the caller saw the provider refuse it (`force`). One refresh per connection across
/// every replica (see `TokenBroker`).
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

    func add(to group: RouterGroup<HubRequestContext>) {
        group.get("connections/:id/access-token") { request, context -> AccessToken in
            let query = request.uri.queryParameters
            guard let organization = query["organization"].flatMap({ UUID(uuidString: String($0)) }) else {
                throw APIError.validation("'organization' must be the connection's organization id", field: "organization")
            }
            guard let id = UUID(uuidString: try context.parameters.require("id")),
                let connection = try await lifecycle.repository.get(organization: organization, id: id),
                connection.status != .disconnected
            else { throw APIError.notFound("connection") }
            guard connection.status != .reauthRequired else {
                throw APIError.conflict("the connection needs to be authorized again", code: "reauth_required")
            }
            let force = query["force"].map { $0 == "true" || $0 == "1" } ?? false
            let fields = try await lifecycle.tokens.freshCredentials(for: connection, actor: "oauth-service", force: force)
            guard let token = fields["access_token"] else {
                throw APIError.conflict("the connection has no access token", code: "no_access_token")
            }
            let current = try await lifecycle.repository.get(organization: organization, id: id)
            return AccessToken(accessToken: token, expiresAt: current?.tokenExpiresAt)
        }
    }
}
