import Foundation
import Hummingbird

/// `/_admin/<provider>/oauth…`: what a test needs to steer and observe one authorization server.
///
/// - `GET /oauth` the settings; `PUT /oauth` replaces them (`OAuthSettings` JSON, e.g.
///   `{"access_token_ttl_seconds": 5}`); `DELETE /oauth` forgets tokens, codes, counters and settings.
/// - `GET /oauth/stats` the counters (`OAuthStats`); `DELETE /oauth/stats` zeroes them.
/// - `GET /oauth/tokens` every token issued (values included: the sandbox holds no real secrets).
/// - `POST /oauth/tokens/expire` `{"token": "…"}` makes that access or refresh token expire now.
/// - `POST /oauth/tokens/revoke` `{"token": "…"}` revokes its grant as if the user disconnected the
///   app in the provider's UI (not counted as a client revocation).
/// - `GET /oauth/clients` the client ids; `POST /oauth/clients` registers a `SandboxOAuthClient`.
struct OAuthAdminRoutes {
    let server: OAuthServer

    struct TokenReference: Codable {
        var token: String
    }

    func add(to group: RouterGroup<SandboxContext>) {
        group.get("oauth") { _, _ in try Self.json(server.settings) }
        group.put("oauth") { request, context in
            let settings = try await request.decode(as: OAuthSettings.self, context: context)
            server.replaceSettings(settings)
            return try Self.json(settings)
        }
        group.delete("oauth") { _, _ in
            server.reset()
            return Response(status: .noContent)
        }
        group.get("oauth/stats") { _, _ in try Self.json(server.stats()) }
        group.delete("oauth/stats") { _, _ in
            server.resetStats()
            return Response(status: .noContent)
        }
        group.get("oauth/tokens") { _, _ in try Self.json(server.tokens.tokens(provider: server.profile.id)) }
        group.post("oauth/tokens/expire") { request, context in
            let reference = try await request.decode(as: TokenReference.self, context: context)
            guard server.expire(reference.token) else {
                throw HTTPError(.notFound, message: "no such \(server.profile.id) token")
            }
            return Response(status: .noContent)
        }
        group.post("oauth/tokens/revoke") { request, context in
            let reference = try await request.decode(as: TokenReference.self, context: context)
            guard server.disconnect(reference.token) else {
                throw HTTPError(.notFound, message: "no such \(server.profile.id) token")
            }
            return Response(status: .noContent)
        }
        group.get("oauth/clients") { _, _ in try Self.json(server.clientIDs) }
        group.post("oauth/clients") { request, context in
            let client = try await request.decode(as: SandboxOAuthClient.self, context: context)
            server.register(client)
            return Response(status: .created)
        }
    }

    static func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value)))
        )
    }
}
