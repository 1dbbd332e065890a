import Foundation
import HTTPTypes
import HubCore
import Hummingbird

/// Connecting a provider. API-key providers get a form generated from their credential fields,
/// checked with the provider before anything is kept (a refusal shows the provider's message).
/// OAuth providers start with a link (GET, so `form-action 'self'` does not block the redirect
/// chain); the provider sends the browser back to `/integrations/oauth/result`, where the console
/// completes the authorization as the signed-in user.
struct ConnectPages {
    let console: Console

    func add(to group: RouterGroup<HubRequestContext>) {
        group.get("/integrations/:provider/connect") { request, context in
            let session = try await console.session(request)
            let provider = try await provider(context, session: session)
            if provider["auth"]?["kind"]?.stringValue == "plaid_link" {
                return try await PlaidLinkPages(console: console).page(provider, session: session, request: request, requestID: context.requestID)
            }
            let reconnect = request.uri.queryParameters["reconnect"].flatMap { UUID(uuidString: String($0)) }?.uuidString.lowercased()
            return connectPage(provider, session: session, request: request, entered: [:], error: nil, reconnect: reconnect)
        }
        group.post("/integrations/:provider/connect") { request, context in
            let (session, form) = try await console.form(request, context: context)
            let provider = try await provider(context, session: session)
            let id = provider["id"]?.stringValue ?? ""
            let (credentials, entered) = Self.credentials(from: form, provider: provider)
            do {
                let connection = try await console.api.send(
                    .POST,
                    "/api/v1/integrations/connections",
                    json: ["provider": .string(id), "credentials": .object(credentials)],
                    session: session,
                    requestID: context.requestID
                )
                let connectionID = connection["id"]?.stringValue ?? ""
                guard connection["status"]?.stringValue == "connected" else {
                    // The API keeps a connection whose test failed (status error, the provider's
                    // reason); the form promises nothing is kept until the provider accepts, so
                    // that attempt is removed (it stays in the audit log) and the form shows why.
                    let reason =
                        connection["last_test_message"]?.stringValue ?? connection["status_reason"]?.stringValue
                        ?? "the provider refused the credentials"
                    try? await console.api.send(
                        .DELETE,
                        "/api/v1/integrations/connections/\(urlComponent(connectionID))",
                        session: session,
                        requestID: context.requestID
                    )
                    throw HubAPIFailure(status: 422, code: "credentials_refused", message: reason)
                }
                return seeOther("/connections/\(urlComponent(connectionID))?notice=connected")
            } catch let failure as HubAPIFailure where failure.status < 500 || failure.status == 502 {
                return connectPage(
                    provider,
                    session: session,
                    request: request,
                    entered: entered,
                    error: failure.message,
                    status: .unprocessableContent
                )
            }
        }
        // Reconnect in place: new credentials for a live connection, tested like the first ones;
        // a refusal leaves the connection as it was and shows why.
        group.post("/connections/:id/credentials") { request, context in
            let (session, form) = try await console.form(request, context: context)
            let connectionID = try pathID(context, "id")
            let current = try await console.api.get(
                "/api/v1/integrations/connections/\(connectionID)",
                session: session,
                requestID: context.requestID
            )
            let provider = try await console.api.get(
                "/api/v1/integrations/providers/\(urlComponent(current["provider"]?.stringValue ?? ""))",
                session: session,
                requestID: context.requestID
            )
            let (credentials, entered) = Self.credentials(from: form, provider: provider)
            do {
                let updated = try await console.api.send(
                    .PATCH,
                    "/api/v1/integrations/connections/\(connectionID)",
                    json: ["credentials": .object(credentials)],
                    session: session,
                    requestID: context.requestID
                )
                guard updated["status"]?.stringValue == "connected" else {
                    throw HubAPIFailure(
                        status: 422,
                        code: "credentials_refused",
                        message: updated["last_test_message"]?.stringValue ?? "the provider refused the credentials"
                    )
                }
                return seeOther("/connections/\(connectionID)?notice=connected")
            } catch let failure as HubAPIFailure where failure.status < 500 || failure.status == 502 || failure.code == "credentials_unchecked" {
                // The provider could not be asked: nothing changed, and the form stays filled in to try again.
                return connectPage(
                    provider,
                    session: session,
                    request: request,
                    entered: entered,
                    error: failure.message,
                    reconnect: connectionID,
                    status: failure.code == "credentials_unchecked" ? .serviceUnavailable : .unprocessableContent
                )
            }
        }
        group.get("/integrations/:provider/oauth/start") { request, context in
            let session = try await console.session(request)
            let provider = try context.parameters.require("provider")
            if let attempt = request.uri.queryParameters["attempt"].map(String.init), attempt.count <= 64, !attempt.isEmpty {
                try await console.attempts.record(attempt, session: session, provider: provider)
            }
            let authorization = try await console.api.get(
                "/api/v1/integrations/oauth/\(urlComponent(provider))/authorize",
                session: session,
                requestID: context.requestID
            )
            guard let url = authorization["authorization_url"]?.stringValue, url.hasPrefix("https://") || url.hasPrefix("http://") else {
                throw HubAPIFailure(status: 502, code: "no_authorization_url", message: "the authorization could not be started")
            }
            return Response(status: .seeOther, headers: [.location: url, .cacheControl: "no-store"])
        }
        group.get("/integrations/oauth/result") { request, context in
            let session = try await console.session(request)
            let query = request.uri.queryParameters
            let provider = query["provider"].map(String.init) ?? ""
            var values: [String: Any] = ["provider": provider]
            values["attempt"] = try await console.attempts.take(session: session, provider: provider) ?? ""
            switch query["status"].map(String.init) {
            case "authorized":
                do {
                    let connection = try await console.api.send(
                        .POST,
                        "/api/v1/integrations/oauth/\(urlComponent(provider))/complete",
                        json: ["handle": .string(query["handle"].map(String.init) ?? "")],
                        session: session,
                        requestID: context.requestID
                    )
                    values["outcome"] = "approved"
                    values["approved"] = true
                    values["connection_id"] = connection["id"]?.stringValue ?? ""
                    values["account_name"] = connection["account_name"]?.stringValue ?? ""
                } catch let failure as HubAPIFailure {
                    values["outcome"] = "error"
                    values["failed"] = true
                    values["message"] = failure.message
                }
            default:
                let code = query["error"].map(String.init) ?? "provider_error"
                values["outcome"] = code == "access_denied" ? "denied" : "error"
                values["denied"] = code == "access_denied"
                values["failed"] = code != "access_denied"
                values["message"] = Self.oauthErrors[code] ?? "The provider reported an error; start again."
            }
            return console.page("oauth-result", title: "Authorization", section: "catalog", session: session, request: request, values: values)
        }
    }

    static let oauthErrors: [String: String] = [
        "access_denied": "You declined the authorization at the provider. Nothing was connected.",
        "invalid_state": "The authorization expired or was already used. Start it again.",
        "invalid_callback": "The provider's answer could not be verified. Start it again.",
        "provider_error": "The provider reported an error. Start it again, or try later.",
        "temporarily_unavailable": "The hub could not finish right now. Start it again shortly.",
    ]

    /// The provider's credential fields from a form; `entered` keeps the non-secret ones to show again.
    static func credentials(from form: FormBody, provider: JSONValue) -> (credentials: [String: JSONValue], entered: [String: String]) {
        var credentials: [String: JSONValue] = [:]
        var entered: [String: String] = [:]
        for field in provider["auth"]?["credential_fields"]?.arrayValue ?? [] {
            guard let name = field["name"]?.stringValue else { continue }
            let value = (form["field_" + name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if !value.isEmpty { credentials[name] = .string(value) }
            if field["secret"]?.boolValue != true { entered[name] = value }
        }
        return (credentials, entered)
    }

    func provider(_ context: HubRequestContext, session: ConsoleSession) async throws -> JSONValue {
        let id = try context.parameters.require("provider")
        return try await console.api.get("/api/v1/integrations/providers/\(urlComponent(id))", session: session, requestID: context.requestID)
    }

    func connectPage(
        _ provider: JSONValue,
        session: ConsoleSession,
        request: Request,
        entered: [String: String],
        error: String?,
        reconnect: String? = nil,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let kind = provider["auth"]?["kind"]?.stringValue ?? ""
        let fields: [[String: Any]] = (provider["auth"]?["credential_fields"]?.arrayValue ?? []).compactMap { field in
            guard let name = field["name"]?.stringValue else { return nil }
            let secret = field["secret"]?.boolValue == true
            var row: [String: Any] = [
                "name": "field_" + name, "label": field["label"]?.stringValue ?? name,
                "required": field["required"]?.boolValue == true,
                "type": secret ? "password" : "text", "value": entered[name] ?? "",
            ]
            if let help = field["description"]?.stringValue, !help.isEmpty { row["help"] = help }
            // A secret is never offered back by the browser's autofill.
            if secret { row["autocomplete"] = "new-password" }
            return row
        }
        let docs = provider["docs_url"]?.stringValue ?? ""
        var values: [String: Any] = [
            "id": provider["id"]?.stringValue ?? "", "name": provider["display_name"]?.stringValue ?? "",
            "description": provider["description"]?.stringValue ?? "", "fields": fields,
            "is_form": kind == "api_key" || kind == "oauth2_client_credentials", "is_oauth": kind == "oauth2_authorization_code",
            "is_plaid": kind == "plaid_link", "docs_url": docs.hasPrefix("https://") ? docs : "",
        ]
        if let error { values["error"] = error }
        if let reconnect { values["reconnect"] = reconnect }
        let name = provider["display_name"]?.stringValue ?? ""
        return console.page(
            "connect",
            title: "Connect \(name)",
            section: "catalog",
            session: session,
            request: request,
            values: values,
            status: status
        )
    }
}
