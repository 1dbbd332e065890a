import Foundation
import HTTPTypes
import HubCore
import Hummingbird

/// The organization's Zapier API keys (webhook-service's `…/zapier/keys`, docs/zapier.md): the
/// list (prefix and last four, never the key), a form to create one, and revocation. A new key is
/// in the answer to the creating POST only: never in a URL, the session or a log, so the next
/// load of the page cannot show it again.
struct ZapierPages {
    let console: Console

    static let keys = "/api/v1/integrations/zapier/keys"

    func add(to group: RouterGroup<HubRequestContext>) {
        group.get("/integrations/zapier") { request, context in
            let session = try await console.session(request)
            return try await page(session: session, request: request, requestID: context.requestID, values: [:])
        }
        group.post("/integrations/zapier") { request, context in
            let (session, form) = try await console.form(request, context: context)
            let organizationName = (form["organization_name"] ?? "").trimmingWhitespace()
            let name = (form["name"] ?? "").trimmingWhitespace()
            var body: [String: JSONValue] = ["organization_name": .string(organizationName)]
            if !name.isEmpty { body["name"] = .string(name) }
            do {
                let created = try await console.api.send(.POST, Self.keys, json: .object(body), session: session, requestID: context.requestID)
                var revealed = created.fields
                revealed.removeValue(forKey: "api_key")
                return try await page(
                    session: session,
                    request: request,
                    requestID: context.requestID,
                    values: ["revealed": revealed, "api_key": created["api_key"]?.stringValue ?? ""]
                )
            } catch let failure as HubAPIFailure where failure.status < 500 {
                return try await page(
                    session: session,
                    request: request,
                    requestID: context.requestID,
                    values: [
                        "error": failure.message, "error_field": failure.field == "name" ? "key-name" : "organization_name",
                        "entered_organization_name": organizationName, "entered_name": name,
                    ],
                    status: .unprocessableContent
                )
            }
        }
        group.post("/integrations/zapier/:id/revoke") { request, context in
            let (session, _) = try await console.form(request, context: context)
            let id = try pathID(context, "id")
            do {
                try await console.api.send(.DELETE, Self.keys + "/\(id)", session: session, requestID: context.requestID)
                return seeOther("/integrations/zapier?notice=revoked")
            } catch let failure as HubAPIFailure where failure.status < 500 && failure.status != 401 {
                return try await page(
                    session: session,
                    request: request,
                    requestID: context.requestID,
                    values: ["revoke_error": failure.message],
                    status: .unprocessableContent
                )
            }
        }
    }

    /// The keys and the creation form; `values` adds a key just created or a refusal to show.
    func page(
        session: ConsoleSession,
        request: Request,
        requestID: String,
        values extra: [String: Any],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let list = try await console.api.get(Self.keys + "?include_revoked=true", session: session, requestID: requestID)
        var values = extra
        let keys = (list["data"]?.arrayValue ?? []).map(Self.keyRow)
        values["keys"] = keys
        values["has_keys"] = !keys.isEmpty
        // Every console page is no-store, so one holding a new key is not kept by the browser's cache.
        return console.page("zapier", title: "Zapier", section: "zapier", session: session, request: request, values: values, status: status)
    }

    /// One key as the list shows it: its name (or "Unnamed key"), `hzk_1a2b…9f0e`, and whether
    /// (since when) it is revoked.
    static func keyRow(_ key: JSONValue) -> [String: Any] {
        var row = key.fields
        row.removeValue(forKey: "api_key")
        row["label"] = key["name"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? "Unnamed key"
        row["masked"] = (key["prefix"]?.stringValue ?? "") + "…" + (key["last4"]?.stringValue ?? "")
        row["revoked"] = key["revoked_at"]?.stringValue != nil
        return row
    }
}
