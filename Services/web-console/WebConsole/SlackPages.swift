import Foundation
import HubCore
import Hummingbird

/// A Slack connection's notifications: the channel, picked from a page of `conversations.list`
/// (Slack's cursor in the URL, so "more channels" is a link), and the hub events announced there,
/// by default those that need a person. Saving or stopping goes through connection-service.
struct SlackPages {
    let console: Console

    func add(to group: RouterGroup<HubRequestContext>) {
        group.get("/connections/:id/slack") { request, context in
            let session = try await console.session(request)
            return try await page(id: try pathID(context, "id"), session: session, request: request, requestID: context.requestID)
        }
        group.post("/connections/:id/slack") { request, context in
            let (session, form) = try await console.form(request, context: context)
            let id = try pathID(context, "id")
            let channel = (form["channel"] ?? "").trimmingWhitespace()
            let types = form.all("event_types")
            do {
                try await console.api.send(
                    .PUT,
                    Self.base(id) + "/notifications",
                    json: ["channel": .string(channel), "event_types": .array(types.map { .string($0) })],
                    session: session,
                    requestID: context.requestID
                )
                return seeOther("/connections/\(id)/slack?notice=saved")
            } catch let failure as HubAPIFailure where failure.status < 500 {
                return try await page(
                    id: id,
                    session: session,
                    request: request,
                    requestID: context.requestID,
                    entered: (channel, types, failure.message)
                )
            }
        }
        group.post("/connections/:id/slack/stop") { request, context in
            let (session, _) = try await console.form(request, context: context)
            let id = try pathID(context, "id")
            try await console.api.send(.DELETE, Self.base(id) + "/notifications", session: session, requestID: context.requestID)
            return seeOther("/connections/\(id)/slack?notice=saved")
        }
    }

    static func base(_ id: String) -> String { "/api/v1/integrations/connections/\(id)/slack" }

    /// The settings page; `entered` is a refused form, shown again with the API's reason.
    func page(
        id: String,
        session: ConsoleSession,
        request: Request,
        requestID: String,
        entered: (channel: String, types: [String], error: String)? = nil
    ) async throws -> Response {
        let cursor = request.uri.queryParameters["cursor"].map(String.init)
        var channelsPath = Self.base(id) + "/channels?limit=100"
        if let cursor { channelsPath += "&cursor=" + urlComponent(cursor) }
        async let connectionReply = console.api.get("/api/v1/integrations/connections/\(id)", session: session, requestID: requestID)
        async let typesReply = console.api.get("/api/v1/integrations/webhooks/event-types", session: session, requestID: requestID)
        let connection = try await connectionReply
        guard connection["provider"]?.stringValue == "slack" else { throw ConsolePageError.notFound }
        var values = try await ConnectionPages.summary(connection)
        values["tab_slack"] = true
        // No settings yet is a 404 from the API: the form starts from the defaults.
        let current: JSONValue?
        do {
            current = try await console.api.get(Self.base(id) + "/notifications", session: session, requestID: requestID)
        } catch let failure as HubAPIFailure where failure.status == 404 {
            current = nil
        }
        let chosenChannel = entered?.channel ?? current?["channel"]?.stringValue ?? ""
        let chosenTypes = Set(entered?.types ?? current?["event_types"]?.arrayValue?.compactMap(\.stringValue) ?? Self.defaultEventTypes)
        values["configured"] = current != nil
        values["current_channel"] = current?["channel"]?.stringValue ?? ""
        values["current_types"] = (current?["event_types"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ", ")
        values["error"] = entered?.error
        // Slack may refuse the listing (a revoked token): the page still shows, with the reason.
        do {
            let channels = try await console.api.get(channelsPath, session: session, requestID: requestID)
            var options = (channels["data"]?.arrayValue ?? []).map { channel -> [String: Any] in
                let channelID = channel["id"]?.stringValue ?? ""
                return [
                    "id": channelID,
                    "label": "#" + (channel["name"]?.stringValue ?? channelID) + (channel["is_private"]?.boolValue == true ? " (private)" : ""),
                    "selected": channelID == chosenChannel,
                ]
            }
            // The chosen channel stays choosable when it is on another page of the listing.
            if !chosenChannel.isEmpty, !options.contains(where: { $0["id"] as? String == chosenChannel }) {
                options.insert(["id": chosenChannel, "label": chosenChannel + " (current)", "selected": true], at: 0)
            }
            values["channels"] = options
            values["next_cursor"] = channels["next_cursor"]?.stringValue.map(urlComponent)
            values["paged"] = cursor != nil
        } catch let failure as HubAPIFailure where failure.status < 500 {
            values["channels_error"] = failure.message
        }
        // Grouped as a person reads them: the hub's own events, the accounting product's, and
        // (folded unless one is chosen) every synced record's change.
        let types = ((try await typesReply)["data"]?.arrayValue ?? []).map { type -> [String: Any] in
            let name = type["type"]?.stringValue ?? ""
            return [
                "type": name, "description": type["description"]?.stringValue ?? "", "checked": chosenTypes.contains(name),
                "source": type["source"]?.stringValue ?? "",
            ]
        }
        for source in ["hub", "product", "entity"] {
            let group = types.filter { $0["source"] as? String == source }
            values["types_\(source)"] = group
            values["open_\(source)"] = group.contains { $0["checked"] as? Bool == true }
        }
        return console.page(
            "slack",
            title: "Slack notifications",
            section: "catalog",
            session: session,
            request: request,
            values: values,
            status: entered == nil ? .ok : .unprocessableContent
        )
    }

    /// What needs a person, as connection-service defaults to.
    static let defaultEventTypes = ["connection.reauth_required", "sync.failed", "webhook_endpoint.disabled"]
}
