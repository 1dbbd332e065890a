import HubCore

/// Intuit's OAuth quirks: the client authenticates with HTTP Basic everywhere, the callback names
/// the company (`realmId`, kept as `realm_id`), refresh tokens rotate and say their own lifetime
/// (`x_refresh_token_expires_in`), and revocation takes a JSON body. The connection is tested with
/// the company's `CompanyInfo`.
extension QuickBooksConnector: OAuthConnector, StandardOAuthFlow {
    public static let apiBaseURL = "https://quickbooks.api.intuit.com"
    /// The minor version every Accounting API call names; Intuit serves 75 and later only.
    static let minorVersion = "75"

    static let oauthWire = OAuthWire(
        provider: definition.id,
        name: definition.displayName,
        clientAuthentication: .basic,
        refreshTokenLifetimeField: "x_refresh_token_expires_in",
        accountAttribute: "realm_id"
    )

    /// The callback must name the company: a `realmId` of digits.
    public static func validateCallback(
        query: [(name: String, value: String)],
        authorization: AuthorizationRequest,
        client: OAuthClientRegistration
    ) throws(ConnectorError) -> [String: String] {
        guard let realm = query.first(where: { $0.name == "realmId" })?.value, !realm.isEmpty, realm.allSatisfy(\.isASCIIDigit) else {
            throw .validation(message: "QuickBooks' callback did not name the company (realmId)", field: "realmId")
        }
        return ["realm_id": realm]
    }

    /// `GET /v3/company/{realm}/companyinfo/{realm}`: the company's id and name.
    public func testConnection() async throws(ConnectorError) -> ConnectionCheck {
        let realm = try context.credential("realm_id")
        guard realm.allSatisfy(\.isASCIIDigit) else { throw .authenticationFailed("the realm_id credential is not a QuickBooks company id") }
        let info = try await Self.oauthWire.call(
            .GET,
            "\(context.baseURL)/v3/company/\(realm)/companyinfo/\(realm)?minorversion=\(Self.minorVersion)",
            headers: OAuthWire.bearer(try context.credential("access_token")),
            entity: "companyinfo",
            transport: context.transport
        )
        guard let company = info["CompanyInfo"], let id = company["Id"]?.idText else {
            throw .invalidResponse("QuickBooks' answer has no CompanyInfo")
        }
        return ConnectionCheck(accountID: id, accountName: company["CompanyName"]?.idText)
    }

    /// Revokes the refresh token (the access token when there is none), which disconnects the app
    /// from the company: every token of the grant stops working.
    public func revokeAccess() async throws(ConnectorError) -> Bool {
        let token = try grantToken()
        let client = try context.requireClient(provider: Self.oauthWire.name)
        _ = try await Self.oauthWire.call(
            .POST,
            try revocationURL(),
            headers: ["Authorization": OAuthWire.basic(client)],
            json: ["token": .string(token)],
            entity: "oauth_revoke",
            transport: context.transport,
            isIdempotent: true
        )
        return true
    }
}
