import Foundation
import Hummingbird

/// Xero's identity server and its connections endpoint.
///
/// - `GET /xero/identity/connect/authorize` (login.xero.com): PKCE with S256.
/// - `POST /xero/connect/token` (identity.xero.com): form body; client by Basic or `client_id` /
///   `client_secret` in the body, or `client_id` alone for a PKCE public client. Refresh tokens come
///   only with `offline_access` and rotate on every use; the used one may be retried for 30 minutes.
/// - `POST /xero/connect/revocation` (identity.xero.com): form `token=<refresh token>`; revokes the
///   grant (its connections go too).
/// - `GET /xero/connections` (api.xero.com): the tenants the access token reaches.
public struct XeroOAuthRoutes: SandboxOAuthRoutes {
    public let server: OAuthServer

    public init(server: OAuthServer) {
        self.server = server
    }

    public func addRoutes(to group: RouterGroup<SandboxContext>) {
        group.get("identity/connect/authorize") { request, _ in
            try server.authorizeResponse(.query(of: request))
        }
        group.post("connect/token") { request, context in
            try await server.token(request, context: context, endpoint: Self.tokenEndpoint)
        }
        group.post("connect/revocation") { request, context in
            let body = try await FormParameters.body(of: request, context: context)
            let presented = PresentedClient(request: request, parameters: body, accepted: .basicOrBody)
            _ = try server.authenticate(presented, allowPublic: server.refreshMayOmitSecret(body["token"]))
            guard let token = body.nonEmpty("token") else { throw server.failure(.missingParameter("token")) }
            server.revoke(token)
            return OAuthHTTP.empty()
        }
        group.get("connections") { request, _ in
            // The data API's seeded token reaches the seeded organisation (no OAuth dance in tests).
            if PresentedClient.bearer(request) == XeroProvider.seededToken { return Self.seededConnection() }
            guard let token = PresentedClient.bearer(request), let info = server.validate(token) else {
                return faultResponse(.unauthorized)
            }
            let created = Self.xeroDate(info.issuedAt)
            // One connection per organisation the user ticked at consent.
            return OAuthHTTP.json(
                info.account.consented.map { account in
                    [
                        "id": account.details["connection_id"] ?? (account == info.account ? info.grantID : Self.uuid(from: account.id)),
                        "authEventId": Self.uuid(from: info.grantID), "tenantId": account.id,
                        "tenantType": account.details["tenant_type"] ?? "ORGANISATION", "tenantName": account.name,
                        "createdDateUtc": created, "updatedDateUtc": created,
                    ]
                }
            )
        }
    }

    /// The seeded organisation, as `/connections` lists it for `XeroProvider.seededToken`.
    static func seededConnection() -> Response {
        let created = xeroDate(Date(timeIntervalSince1970: 1_767_225_600))
        return OAuthHTTP.json([
            [
                "id": uuid(from: "seeded-connection"), "authEventId": uuid(from: "seeded-grant"), "tenantId": XeroProvider.seededTenantID,
                "tenantType": "ORGANISATION", "tenantName": "Hub Sandbox Ltd", "createdDateUtc": created, "updatedDateUtc": created,
            ]
        ])
    }

    /// `connect/token`: Basic or body credentials, PKCE public clients; the standard fields.
    static let tokenEndpoint = TokenEndpoint(
        clients: .basicOrBody,
        publicClientsWithPKCE: true,
        answer: [.accessToken, .expiresIn(fallback: 1800), .tokenType("Bearer"), .scope, .refreshToken]
    )

    public func faultResponse(_ fault: InjectedFault) -> Response {
        switch fault {
        case .rateLimited(let seconds):
            return OAuthHTTP.json(
                ["Title": "Too Many Requests", "Status": 429, "Detail": "Rate limit exceeded"],
                status: .tooManyRequests,
                headers: OAuthHTTP.headers([("Retry-After", String(Int(seconds.rounded(.up)))), ("X-Rate-Limit-Problem", "minute")])
            )
        case .serverError:
            return Self.problem(.internalServerError, title: "Internal Server Error", detail: "An error occurred")
        case .unauthorized:
            return Self.problem(.unauthorized, title: "Unauthorized", detail: "AuthenticationUnsuccessful")
        }
    }

    /// Xero's problem-details body for the API hosts.
    static func problem(_ status: HTTPResponse.Status, title: String, detail: String) -> Response {
        OAuthHTTP.json(
            [
                "Type": NSNull(), "Title": title, "Status": Int(status.code), "Detail": detail, "Instance": UUID().uuidString.lowercased(),
                "Extensions": [String: String](),
            ],
            status: status
        )
    }

    /// Xero's connection timestamps: UTC, seven fractional digits, no zone designator.
    static func xeroDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'0000'"
        return formatter.string(from: date)
    }

    /// A stable UUID-shaped id for a grant, for `authEventId`.
    static func uuid(from text: String) -> String {
        let hex = Array(text.utf8).map { String(format: "%02x", $0) }.joined().padding(toLength: 32, withPad: "0", startingAt: 0)
        let characters = Array(hex.prefix(32))
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }
}
