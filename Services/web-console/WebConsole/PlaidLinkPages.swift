import Foundation
import HTTPTypes
import HubCore
import Hummingbird

/// Connecting Plaid through Plaid Link: the connect page asks the hub for a link token
/// (`POST …/oauth/plaid/link-token`) and loads Link's script, which the page's module opens on a
/// click; Link's `onSuccess` hands back a public token that a same-origin form posts here, and the
/// hub exchanges it (`POST …/oauth/plaid/exchange`) into a connection. The script comes from
/// Plaid's CDN, or from the provider sandbox when the hub talks to one (`HUB_PROVIDER_SANDBOX_URL`);
/// only this page's CSP allows its origin.
struct PlaidLinkPages {
    let console: Console

    static let cdnScript = "https://cdn.plaid.com/link/v2/stable/link-initialize.js"

    /// Where Link's script is: the sandbox's copy at the CDN's path under its Plaid mount, else the CDN.
    static func scriptURL(sandboxURL: String?) -> String {
        guard let sandboxURL, !sandboxURL.isEmpty else { return cdnScript }
        return sandboxURL + "/plaid/link/v2/stable/link-initialize.js"
    }

    /// The console's policy plus Link: its script (that file only) and its iframe (its origin).
    static func contentSecurityPolicy(scriptURL: String) -> String {
        guard let url = URL(string: scriptURL), let scheme = url.scheme, let host = url.host else {
            return SecurityHeadersMiddleware.contentSecurityPolicy
        }
        let origin = "\(scheme)://\(host)" + (url.port.map { ":\($0)" } ?? "")
        return SecurityHeadersMiddleware.contentSecurityPolicy.replacingOccurrences(of: "script-src 'self'", with: "script-src 'self' \(scriptURL)")
            + "; frame-src \(origin)"
    }

    func add(to group: RouterGroup<HubRequestContext>) {
        group.post("/integrations/:provider/link/exchange") { request, context in
            let (session, form) = try await console.form(request, context: context)
            let provider = try context.parameters.require("provider")
            do {
                let connection = try await console.api.send(
                    .POST,
                    "/api/v1/integrations/oauth/\(urlComponent(provider))/exchange",
                    json: ["public_token": .string(form["public_token"] ?? "")],
                    session: session,
                    requestID: context.requestID
                )
                return seeOther("/connections/\(urlComponent(connection["id"]?.stringValue ?? ""))?notice=connected")
            } catch let failure as HubAPIFailure where failure.status < 500 || failure.status == 502 {
                let definition = try await console.api.get(
                    "/api/v1/integrations/providers/\(urlComponent(provider))",
                    session: session,
                    requestID: context.requestID
                )
                return try await page(definition, session: session, request: request, requestID: context.requestID, error: failure.message)
            }
        }
    }

    /// The connect page of a Link provider, with a fresh link token (they last four hours).
    func page(_ provider: JSONValue, session: ConsoleSession, request: Request, requestID: String, error: String? = nil) async throws -> Response {
        let id = provider["id"]?.stringValue ?? ""
        var values: [String: Any] = [
            "id": id, "name": provider["display_name"]?.stringValue ?? "", "description": provider["description"]?.stringValue ?? "",
            "is_plaid": true, "plaid_script": console.plaidLinkScript,
        ]
        do {
            let reply = try await console.api.send(
                .POST,
                "/api/v1/integrations/oauth/\(urlComponent(id))/link-token",
                session: session,
                requestID: requestID
            )
            values["link_token"] = reply["link_token"]?.stringValue ?? ""
        } catch let failure as HubAPIFailure {
            values["link_error"] = failure.message
        }
        if let error { values["error"] = error }
        var response = console.page(
            "connect",
            title: "Connect \(values["name"] ?? "")",
            section: "catalog",
            session: session,
            request: request,
            values: values,
            status: error == nil ? .ok : .unprocessableContent
        )
        response.headers[HTTPField.Name("Content-Security-Policy")!] = Self.contentSecurityPolicy(scriptURL: console.plaidLinkScript)
        return response
    }
}
