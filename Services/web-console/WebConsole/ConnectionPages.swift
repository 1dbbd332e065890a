import Foundation
import HubCore
import Hummingbird

/// One connection: health in words and icon, the last error and when, token expiry, status
/// history, its audit trail, a test, the choice of organisation when a grant reaches several,
/// and disconnect behind a confirmation.
struct ConnectionPages {
    let console: Console

    func add(to group: RouterGroup<HubRequestContext>) {
        group.get("/connections/:id") { request, context in
            let session = try await console.session(request)
            let id = try pathID(context, "id")
            let base = "/api/v1/integrations/connections/\(id)"
            async let connectionReply = console.api.get(base, session: session, requestID: context.requestID)
            async let historyReply = console.api.get(base + "/history", session: session, requestID: context.requestID)
            async let auditReply = console.api.get(
                "/api/v1/integrations/audit-log?resource_type=connection&resource_id=\(id)&limit=20",
                session: session,
                requestID: context.requestID
            )
            let connection = try await connectionReply
            var values = try await Self.summary(connection)
            values["history"] =
                (try await historyReply)["data"]?.arrayValue?.reversed().map { entry -> [String: Any] in
                    var row = entry.fields
                    row["status_label"] = CatalogPages.statusNames[entry["status"]?.stringValue ?? ""] ?? ""
                    return row
                } ?? []
            values["audit"] =
                (try await auditReply)["data"]?.arrayValue?
                .map { entry -> [String: Any] in
                    var row = entry.fields
                    row["details_json"] = entry["details"].map { $0.prettyJSON } ?? ""
                    return row
                } ?? []
            values["tab_overview"] = true
            // API-key connections take new credentials in place; OAuth ones are authorized again.
            values["uses_form"] = !((connection["credential_fields"]?.arrayValue ?? []).contains { $0.stringValue == "access_token" })
            values["confirm_disconnect"] = request.uri.queryParameters["confirm"] == "disconnect"
            return console.page(
                "connection",
                title: "\(values["provider_name"] ?? "Connection")",
                section: "catalog",
                session: session,
                request: request,
                values: values
            )
        }
        group.post("/connections/:id/test") { request, context in
            let (session, _) = try await console.form(request, context: context)
            let id = try pathID(context, "id")
            let result = try await console.api.send(
                .POST,
                "/api/v1/integrations/connections/\(id)/test",
                session: session,
                requestID: context.requestID
            )
            return seeOther("/connections/\(id)?notice=\(result["ok"]?.boolValue == true ? "tested" : "test_failed")")
        }
        // A grant that reaches several organisations (Xero) waits for the user to pick one.
        group.post("/connections/:id/tenant") { request, context in
            let (session, form) = try await console.form(request, context: context)
            let id = try pathID(context, "id")
            try await console.api.send(
                .PUT,
                "/api/v1/integrations/connections/\(id)/tenant",
                json: ["tenant_id": .string(form["tenant_id"] ?? "")],
                session: session,
                requestID: context.requestID
            )
            return seeOther("/connections/\(id)?notice=connected")
        }
        group.post("/connections/:id/disconnect") { request, context in
            let (session, form) = try await console.form(request, context: context)
            let id = try pathID(context, "id")
            // Without JavaScript the first press asks on a page of its own; the dialog sends confirmed=yes.
            guard form["confirmed"] == "yes" else { return seeOther("/connections/\(id)?confirm=disconnect#disconnect") }
            try await console.api.send(.DELETE, "/api/v1/integrations/connections/\(id)", session: session, requestID: context.requestID)
            return seeOther("/integrations?notice=disconnected")
        }
    }

    /// The header every connection page shows.
    static func summary(_ connection: JSONValue) async throws -> [String: Any] {
        var values = connection.fields
        let status = connection["status"]?.stringValue ?? ""
        let provider = connection["provider"]?.stringValue ?? ""
        values["provider_name"] = provider.prefix(1).uppercased() + provider.dropFirst()
        values["status_label"] = CatalogPages.statusNames[status] ?? status
        values["status_icon"] = ["connected": "✔", "error": "✖", "reauth_required": "⚠", "disconnected": "⏻", "connecting": "…"][status] ?? "?"
        values["status_key"] = status
        values["is_live"] = status != "disconnected"
        values["is_slack"] = provider == "slack"
        values["last_test_failed"] = connection["last_test_ok"]?.boolValue == false
        values["api_usage_line"] = apiUsageLine(connection, provider: values["provider_name"] as? String ?? provider)
        let tenants = connection["tenants"]?.arrayValue ?? []
        if status == "connecting", connection["account_id"]?.stringValue == nil, tenants.count > 1 {
            values["awaits_tenant_choice"] = true
            values["tenant_choices"] = tenants.map(\.fields)
        }
        return values
    }

    /// "Salesforce API: 1,234 of 15,000 calls today (8 %)" from the connection's `api_usage`;
    /// nil when the provider has reported none.
    static func apiUsageLine(_ connection: JSONValue, provider: String) -> String? {
        guard let usage = connection["api_usage"], let used = usage["used"]?.intValue, let limit = usage["limit"]?.intValue, limit > 0
        else { return nil }
        let percent = (used * 100 + limit / 2) / limit
        return "\(provider) API: \(grouped(used)) of \(grouped(limit)) calls today (\(percent) %)"
    }

    /// Digits in threes with commas (`15,000`), the same whatever the server's locale.
    static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return number < 0 ? "-" + out : out
    }
}
