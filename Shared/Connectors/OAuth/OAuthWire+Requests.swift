import Foundation
import HubCore
import NIOHTTP1

/// The calls every OAuth provider shares: a form POST to the token endpoint with the client
/// authenticated the provider's way, and JSON calls to its who-am-I and revocation endpoints, all
/// through `ProviderTransport` with `OAuthErrorMapper` reading the failures.
extension OAuthWire {
    /// Sends a grant (`grant_type=…` and its fields) to the token endpoint at `url` and reads the
    /// answer. Never repeated after a 5xx: a code is single-use and a rotating refresh token is
    /// consumed by the first attempt, so a blind retry could lose the grant.
    func requestTokens(
        url: String,
        grant: [(String, String)],
        client: OAuthClientRegistration,
        transport: ProviderTransport
    ) async throws(ConnectorError) -> OAuthTokenResponse {
        var fields = grant
        var headers: HTTPHeaders = [:]
        switch clientAuthentication {
        case .basic: headers.add(name: "Authorization", value: Self.basic(client))
        case .body: fields += client.formFields
        }
        let json = try await call(.POST, url, headers: headers, form: fields, entity: "oauth_token", transport: transport, isIdempotent: false)
        guard case .object(let object) = json else { throw .invalidResponse("\(name)'s token endpoint did not answer a JSON object") }
        return OAuthTokenResponse(fields: object)
    }

    /// One call whose answer is JSON (`{}` for an empty body), with a form or JSON body.
    func call(
        _ method: HTTPMethod,
        _ url: String,
        headers: HTTPHeaders = [:],
        form: [(String, String)]? = nil,
        json: JSONValue? = nil,
        entity: String,
        transport: ProviderTransport,
        isIdempotent: Bool? = nil
    ) async throws(ConnectorError) -> JSONValue {
        var headers = headers
        headers.replaceOrAdd(name: "Accept", value: "application/json")
        var body: [UInt8]?
        if let form {
            headers.replaceOrAdd(name: "Content-Type", value: "application/x-www-form-urlencoded")
            body = Array(FormEncoding.pairs(form).utf8)
        } else if let json {
            headers.replaceOrAdd(name: "Content-Type", value: "application/json")
            do { body = Array(try JSONEncoder().encode(json)) } catch { throw .validation(message: "the request cannot be encoded", field: nil) }
        }
        let request = ProviderRequest(method: method, url: url, headers: headers, body: body, isIdempotent: isIdempotent)
        let wire = self
        let response = try await transport.send(request, provider: provider, entity: entity) { response in
            OAuthErrorMapper.classify(response, wire: wire, entity: entity)
        }
        guard !response.body.isEmpty else { return .object([:]) }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(response.body)) else {
            throw .invalidResponse("\(name) sent a body that is not JSON")
        }
        if case .object(let object) = value, let failure = failureInSuccess(object) { throw failure }
        return value
    }

    /// `Basic base64(id:secret)`, each part form-encoded first as RFC 6749 §2.3.1 asks.
    static func basic(_ client: OAuthClientRegistration) -> String {
        let pair = FormEncoding.escape(client.clientID) + ":" + FormEncoding.escape(client.clientSecret)
        return "Basic " + Data(pair.utf8).base64EncodedString()
    }

    static func bearer(_ token: String) -> HTTPHeaders {
        ["Authorization": "Bearer \(token)"]
    }
}

extension OAuthClientRegistration {
    /// `client_id` and `client_secret` as form fields, for providers that take them in the body.
    var formFields: [(String, String)] {
        [("client_id", clientID), ("client_secret", clientSecret)]
    }
}
