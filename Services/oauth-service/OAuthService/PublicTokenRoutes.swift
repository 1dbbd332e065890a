import Foundation
import HubConnections
import HubConnectors
import HubCore
import Hummingbird
import ServiceEdge

/// Connecting a provider through a hosted widget that returns a public token (Plaid Link), for
/// every provider whose connector is a `PublicTokenConnector`:
///
/// - `POST /api/v1/integrations/oauth/{provider}/link-token`: a link token for the caller.
/// - `POST /api/v1/integrations/oauth/{provider}/exchange` with `{"public_token": …}`: the
///   public token becomes a connection (201), tested like any other.
struct PublicTokenRoutes {
    let lifecycle: ConnectionLifecycle

    struct LinkTokenRequest: StrictDecodable {
        static let allowedFields: Set<String> = ["webhook"]
        var webhook: String?
    }

    struct ExchangeRequest: StrictDecodable {
        static let allowedFields: Set<String> = ["public_token", "name"]
        var publicToken: String
        var name: String?

        enum CodingKeys: String, CodingKey {
            case name
            case publicToken = "public_token"
        }
    }

    struct LinkTokenResponse: ResponseEncodable {
        var linkToken: String
        var expiration: Date?

        enum CodingKeys: String, CodingKey {
            case expiration
            case linkToken = "link_token"
        }
    }

    /// `provider` is the group `…/oauth/:provider`.
    func add(to provider: RouterGroup<HubRequestContext>) {
        provider.post("link-token") { request, context -> LinkTokenResponse in
            let identity = try context.requireIdentity()
            let connector = try widgetConnector(try context.parameters.require("provider"))
            let body =
                request.head.headerFields[.contentLength] == "0" || request.head.headerFields[.contentType] == nil
                ? LinkTokenRequest() : try await request.decodeJSON(as: LinkTokenRequest.self, context: context)
            // A stable, opaque id for the end user: never their name or e-mail.
            let user = sha256Hex(Array("\(identity.organizationID.uuidString.lowercased()):\(identity.subject)".utf8))
            // A provider failure is a ConnectorError, which the error middleware answers as a 4xx/5xx.
            let (token, expiration) = try await connector.linkToken(forUser: user, clientName: "LogiAccounting Pro", webhook: body.webhook)
            return LinkTokenResponse(linkToken: token, expiration: expiration)
        }
        provider.post("exchange") { request, context -> EditedResponse<Connection> in
            let identity = try context.requireIdentity()
            let provider = try context.parameters.require("provider")
            let connector = try widgetConnector(provider)
            let body = try await request.decodeJSON(as: ExchangeRequest.self, context: context)
            guard !body.publicToken.isEmpty, body.publicToken.utf8.count <= 512 else {
                throw APIError.validation("'public_token' must be the token the widget returned", field: "public_token")
            }
            if try await lifecycle.repository.live(organization: identity.organizationID, provider: provider) != nil {
                throw APIError.conflict("the organization already has a \(provider) connection", code: "already_connected")
            }
            let exchanged = try await connector.exchange(publicToken: body.publicToken)
            let actor = try context.auditActor()
            do {
                let connection = try await lifecycle.connect(
                    actor,
                    provider: provider,
                    name: body.name,
                    settings: [:],
                    fields: SecretFields(["access_token": exchanged.accessToken]),
                    tokens: OAuthTokens(accessToken: exchanged.accessToken, accountID: exchanged.accountID)
                )
                return EditedResponse(status: .created, response: connection)
            } catch is ConnectionRepository.AlreadyConnected {
                throw APIError.conflict("the organization already has a \(provider) connection", code: "already_connected")
            }
        }
    }

    func widgetConnector(_ provider: String) throws -> any PublicTokenConnector {
        guard let type = lifecycle.factory.testableType(provider), type is any PublicTokenConnector.Type else {
            throw APIError.validation("'\(provider)' does not connect through a public-token widget", field: "provider")
        }
        guard lifecycle.factory.client(for: provider) != nil,
            let connector = lifecycle.factory.connector(provider: provider, credentials: [:]) as? any PublicTokenConnector
        else {
            throw APIError(
                .unprocessableContent,
                code: "provider_not_configured",
                message: "the operator has not configured a client for \(provider)"
            )
        }
        return connector
    }
}
