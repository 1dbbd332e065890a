import Foundation
import HubCore

/// Xero's OAuth quirks: the client authenticates with HTTP Basic, PKCE is sent (the definition
/// supports it), refresh tokens rotate, and a grant names no organisation: `GET /connections`
/// lists the tenants it reaches, and the connection keeps the one the user chose as `tenant_id`.
extension XeroConnector: OAuthConnector, StandardOAuthFlow {
    public static let apiBaseURL = "https://api.xero.com"

    static let oauthWire = OAuthWire(
        provider: definition.id,
        name: definition.displayName,
        clientAuthentication: .basic,
        accountAttribute: ProviderTenant.credentialField
    )

    /// The connection's organisation among those the token still reaches.
    public func testConnection() async throws(ConnectorError) -> ConnectionCheck {
        let tenantID = try context.credential("tenant_id")
        guard let tenant = try await connections().first(where: { $0["tenantId"]?.idText == tenantID }) else {
            throw .authenticationFailed("the grant no longer reaches the Xero organisation \(tenantID)")
        }
        return Self.check(tenant)
    }

    /// Right after the exchange: the organisations this consent reaches (not a practice or a
    /// payroll-only tenant), newest first. One is chosen at once; with several the check names
    /// none and lists them all, and the user picks one (the connection waits for the choice).
    func describeGrant() async throws(ConnectorError) -> ConnectionCheck {
        let organisations = try await connections().filter { $0["tenantType"]?.idText == "ORGANISATION" }
            .sorted { Self.created($0) > Self.created($1) }
        let tenants = organisations.compactMap(Self.tenant)
        guard let only = organisations.first, !tenants.isEmpty else {
            throw .permissionDenied("the Xero grant reaches no organisation")
        }
        guard tenants.count == 1 else { return ConnectionCheck(accountID: nil, accountName: nil, tenants: tenants) }
        var check = Self.check(only)
        check.tenants = tenants
        return check
    }

    /// Revokes the refresh token, which removes the grant and its connections.
    public func revokeAccess() async throws(ConnectorError) -> Bool {
        let client = try context.requireClient(provider: Self.oauthWire.name)
        _ = try await Self.oauthWire.call(
            .POST,
            try revocationURL(),
            headers: ["Authorization": OAuthWire.basic(client)],
            form: [("token", try grantToken())],
            entity: "oauth_revoke",
            transport: context.transport,
            isIdempotent: true
        )
        return true
    }

    /// `GET https://api.xero.com/connections`: the tenants the access token reaches.
    func connections() async throws(ConnectorError) -> [JSONValue] {
        let answer = try await Self.oauthWire.call(
            .GET,
            "\(context.baseURL)/connections",
            headers: OAuthWire.bearer(try context.credential("access_token")),
            entity: "connections",
            transport: context.transport
        )
        guard let tenants = answer.arrayValue else { throw .invalidResponse("Xero's connections answer is not a list") }
        return tenants.filter { $0.objectValue != nil }
    }

    static func check(_ tenant: JSONValue) -> ConnectionCheck {
        ConnectionCheck(accountID: tenant["tenantId"]?.idText, accountName: tenant["tenantName"]?.idText)
    }

    static func tenant(_ connection: JSONValue) -> ProviderTenant? {
        guard let id = connection["tenantId"]?.idText, !id.isEmpty else { return nil }
        return ProviderTenant(id: id, name: connection["tenantName"]?.idText, type: connection["tenantType"]?.idText)
    }

    /// `createdDateUtc` (`2024-01-02T09:00:00.1234567`: UTC without a zone) compares as text.
    static func created(_ tenant: JSONValue) -> String {
        tenant["createdDateUtc"]?.idText ?? ""
    }
}
