import Foundation
import HTTPTypes
import HubCore
import Hummingbird

/// The organization's own webhooks: endpoints with their event types and status; the signing
/// secret shown once (on creation and rotation, in the response to that POST, never in a URL);
/// a test event; deliveries filtered by query parameters (so a filtered view is a link); each
/// delivery's attempts; redelivery.
struct WebhookPages {
    let console: Console

    static let subscriptions = "/api/v1/integrations/webhooks/subscriptions"

    func add(to group: RouterGroup<HubRequestContext>) {
        group.get("/integrations/webhooks") { request, context in
            let session = try await console.session(request)
            return try await listPage(session: session, request: request, requestID: context.requestID, values: [:])
        }
        group.post("/integrations/webhooks") { request, context in
            let (session, form) = try await console.form(request, context: context)
            let url = (form["url"] ?? "").trimmingCharacters(in: .whitespaces)
            let types = form.all("event_types")
            var body: [String: JSONValue] = ["url": .string(url), "event_types": .array((types.isEmpty ? ["*"] : types).map { .string($0) })]
            if let description = form["description"], !description.isEmpty { body["description"] = .string(description) }
            do {
                let created = try await console.api.send(
                    .POST,
                    Self.subscriptions,
                    json: .object(body),
                    session: session,
                    requestID: context.requestID
                )
                return try await detailPage(
                    id: created["id"]?.stringValue ?? "",
                    session: session,
                    request: request,
                    requestID: context.requestID,
                    secret: created["secret"]?.stringValue
                )
            } catch let failure as HubAPIFailure where failure.status < 500 {
                return try await listPage(
                    session: session,
                    request: request,
                    requestID: context.requestID,
                    values: [
                        "error": failure.message, "error_target": Self.formTarget(of: failure.field), "entered_url": url,
                        "entered_description": form["description"] ?? "", "entered_types": types,
                    ],
                    status: .unprocessableContent
                )
            }
        }
        // Provider webhooks received, with their verification and processing outcome.
        group.get("/integrations/webhooks/inbound") { request, context in
            let session = try await console.session(request)
            let status = request.uri.queryParameters["status"].map(String.init) ?? ""
            var path = "/api/v1/integrations/webhooks/inbound-events?limit=50"
            if ["received", "processed", "ignored", "failed"].contains(status) { path += "&status=" + status }
            if let cursor = request.uri.queryParameters["cursor"] { path += "&cursor=" + urlComponent(String(cursor)) }
            let page = try await console.api.get(path, session: session, requestID: context.requestID)
            var values: [String: Any] = [
                "events": (page["data"]?.arrayValue ?? []).map(\.fields),
                "statuses": ["", "received", "processed", "ignored", "failed"].map { value -> [String: Any] in
                    ["value": value, "label": value.isEmpty ? "Any status" : value.capitalized, "selected": value == status]
                },
            ]
            if let next = page["next_cursor"]?.stringValue {
                values["next_href"] = "/integrations/webhooks/inbound?cursor=\(urlComponent(next))" + (status.isEmpty ? "" : "&status=" + status)
            }
            return console.page("inbound", title: "Inbound events", section: "webhooks", session: session, request: request, values: values)
        }
        group.get("/integrations/webhooks/:id") { request, context in
            let session = try await console.session(request)
            let id = try pathID(context, "id")
            return try await detailPage(id: id, session: session, request: request, requestID: context.requestID, secret: nil)
        }
        group.post("/integrations/webhooks/:id/rotate") { request, context in
            let (session, _) = try await console.form(request, context: context)
            let id = try pathID(context, "id")
            let rotated = try await console.api.send(
                .POST,
                Self.subscriptions + "/\(id)/rotate-secret",
                session: session,
                requestID: context.requestID
            )
            return try await detailPage(
                id: id,
                session: session,
                request: request,
                requestID: context.requestID,
                secret: rotated["secret"]?.stringValue,
                rotated: true
            )
        }
        group.post("/integrations/webhooks/:id/test") { request, context in
            let (session, _) = try await console.form(request, context: context)
            let id = try pathID(context, "id")
            try await console.api.send(.POST, Self.subscriptions + "/\(id)/test", session: session, requestID: context.requestID)
            return seeOther("/integrations/webhooks/\(id)?notice=test_sent")
        }
        // Recovery asks first with the count it would send (the page counts the failed deliveries
        // since that time), then sends them again.
        group.post("/integrations/webhooks/:id/recover") { request, context in
            let (session, form) = try await console.form(request, context: context)
            let id = try pathID(context, "id")
            let since = (form["since"] ?? "").trimmingCharacters(in: .whitespaces)
            guard form["confirmed"] == "yes" else {
                return seeOther("/integrations/webhooks/\(id)?recover_since=\(urlComponent(since))#recover")
            }
            try await console.api.send(
                .POST,
                Self.subscriptions + "/\(id)/recover",
                json: ["since": .string(since)],
                session: session,
                requestID: context.requestID
            )
            return seeOther("/integrations/webhooks/\(id)?notice=recovered")
        }
        // A disabled subscription (by its owner, or by the hub when its endpoint answered 410 or
        // failed for days) takes nothing: its events are kept as failed deliveries, which recovery
        // sends once it is enabled again.
        for (action, enabled, notice) in [("enable", true, Notice.enabled), ("disable", false, Notice.disabled)] {
            group.post("/integrations/webhooks/:id/\(action)") { request, context in
                let (session, _) = try await console.form(request, context: context)
                let id = try pathID(context, "id")
                try await console.api.send(
                    .PATCH,
                    Self.subscriptions + "/\(id)",
                    json: ["enabled": .bool(enabled)],
                    session: session,
                    requestID: context.requestID
                )
                return seeOther("/integrations/webhooks/\(id)?notice=\(notice.rawValue)")
            }
        }
        group.post("/integrations/webhooks/:id/deliveries/:delivery/redeliver") { request, context in
            let (session, _) = try await console.form(request, context: context)
            let id = try pathID(context, "id")
            let delivery = try pathID(context, "delivery")
            try await console.api.send(
                .POST,
                Self.subscriptions + "/\(id)/deliveries/\(delivery)/resend",
                session: session,
                requestID: context.requestID
            )
            return seeOther("/integrations/webhooks/\(id)/deliveries/\(delivery)?notice=redelivered")
        }
        group.get("/integrations/webhooks/:id/deliveries/:delivery") { request, context in
            let session = try await console.session(request)
            let id = try pathID(context, "id")
            let deliveryID = try pathID(context, "delivery")
            async let subscriptionReply = console.api.get(Self.subscriptions + "/\(id)", session: session, requestID: context.requestID)
            let delivery = try await console.api.get(
                Self.subscriptions + "/\(id)/deliveries/\(deliveryID)",
                session: session,
                requestID: context.requestID
            )
            let subscription = try await subscriptionReply
            var values: [String: Any] = ["subscription": subscription.fields, "delivery": Self.deliveryRow(delivery)]
            // The API refuses a redelivery to a disabled subscription (409): no button for it.
            values["endpoint_disabled"] = subscription["enabled"]?.boolValue == false
            values["attempts"] = (delivery["attempts"]?.arrayValue ?? []).map(Self.attemptRow)
            return console.page("delivery", title: "Delivery", section: "webhooks", session: session, request: request, values: values)
        }
    }

    /// The form control a refusal's field names, for the error summary's link.
    static func formTarget(of field: String?) -> String {
        switch field?.split(separator: "[").first {
        case "event_types": "event-types"
        case "description": "description"
        default: "url"
        }
    }

    func listPage(
        session: ConsoleSession,
        request: Request,
        requestID: String,
        values extra: [String: Any],
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        // A page of endpoints at a time; the next page's cursor rides in the address.
        let cursor = request.uri.queryParameters["cursor"].map { "&cursor=" + urlComponent(String($0)) } ?? ""
        async let subscriptionsReply = console.api.get(Self.subscriptions + "?limit=100" + cursor, session: session, requestID: requestID)
        // The success rate is webhook-service's figure; without it the list still shows.
        async let statsReply = try? console.api.get("/api/v1/integrations/webhooks/delivery-stats?hours=24", session: session, requestID: requestID)
        let eventTypes = try await console.api.get("/api/v1/integrations/webhooks/event-types", session: session, requestID: requestID)
        let chosen = Set((extra["entered_types"] as? [String]) ?? [])
        var values = extra
        var stats: [String: JSONValue] = [:]
        for row in (await statsReply)?["data"]?.arrayValue ?? [] {
            if let id = row["subscription_id"]?.stringValue { stats[id] = row }
        }
        let subscriptions = try await subscriptionsReply
        if let next = subscriptions["next_cursor"]?.stringValue { values["next_href"] = "/integrations/webhooks?cursor=" + urlComponent(next) }
        values["endpoints"] = (subscriptions["data"]?.arrayValue ?? []).map { subscription -> [String: Any] in
            var row = subscription.fields
            row["types"] = (subscription["event_types"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ", ")
            row["status_label"] = subscription["enabled"]?.boolValue == false ? "Disabled" : "Enabled"
            row["success"] = Self.successText(stats[subscription["id"]?.stringValue ?? ""])
            return row
        }
        values["event_types"] = (eventTypes["data"]?.arrayValue ?? []).enumerated().map { index, type -> [String: Any] in
            let name = type["type"]?.stringValue ?? ""
            return ["type": name, "description": type["description"]?.stringValue ?? "", "checked": chosen.contains(name), "index": index]
        }
        return console.page("webhooks", title: "Webhooks", section: "webhooks", session: session, request: request, values: values, status: status)
    }

    func detailPage(
        id: String,
        session: ConsoleSession,
        request: Request,
        requestID: String,
        secret: String?,
        rotated: Bool = false
    ) async throws -> Response {
        let query = request.uri.queryParameters
        let status = query["status"].map(String.init) ?? ""
        let eventType = query["event_type"].map(String.init) ?? ""
        var path = Self.subscriptions + "/\(id)/deliveries?limit=50"
        if ["pending", "delivered", "failed", "cancelled"].contains(status) { path += "&status=" + status }
        if !eventType.isEmpty { path += "&event_type=" + urlComponent(eventType) }
        if let cursor = query["cursor"] { path += "&cursor=" + urlComponent(String(cursor)) }
        async let subscriptionReply = console.api.get(Self.subscriptions + "/\(id)", session: session, requestID: requestID)
        let deliveries = try await console.api.get(path, session: session, requestID: requestID)
        let subscription = try await subscriptionReply
        var values: [String: Any] = ["subscription": subscription.fields, "id": id]
        values["types"] = (subscription["event_types"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ", ")
        values["deliveries"] = (deliveries["data"]?.arrayValue ?? []).map(Self.deliveryRow)
        values["filter_event_type"] = eventType
        values["statuses"] = ["", "pending", "delivered", "failed", "cancelled"].map { value -> [String: Any] in
            ["value": value, "label": value.isEmpty ? "Any status" : value.capitalized, "selected": value == status]
        }
        if let next = deliveries["next_cursor"]?.stringValue {
            var href = "/integrations/webhooks/\(id)?cursor=\(urlComponent(next))"
            if !status.isEmpty { href += "&status=" + urlComponent(status) }
            if !eventType.isEmpty { href += "&event_type=" + urlComponent(eventType) }
            values["next_href"] = href
        }
        values["endpoint_disabled"] = subscription["enabled"]?.boolValue == false
        values["recover_default"] = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-86_400))
        if let since = query["recover_since"].map(String.init) {
            guard let sinceDate = ISO8601DateFormatter().date(from: since) else {
                values["recover_error"] = "Give the time as 2026-12-04T09:00:00Z (ISO 8601, UTC)."
                values["recover_default"] = since  // what was typed, to correct
                return console.page("webhook", title: "Webhook endpoint", section: "webhooks", session: session, request: request, values: values)
            }
            values["recover_since"] = since
            let count = try await failedCount(id: id, since: sinceDate, session: session, requestID: requestID)
            values.merge(Self.recovery(failed: count)) { _, new in new }
        }
        if let secret {
            values["secret"] = secret
            values["rotated"] = rotated
        }
        return console.page("webhook", title: "Webhook endpoint", section: "webhooks", session: session, request: request, values: values)
    }

    /// What the recovery's confirmation says for `failed` deliveries (`failedCount`'s figure):
    /// none means nothing to send, and the count stops at `failedCountLimit`.
    static func recovery(failed: Int) -> [String: Any] {
        let text =
            switch failed {
            case 1: "1 failed delivery"
            case failedCountLimit...: "At least \(ConnectionPages.grouped(failedCountLimit)) failed deliveries"
            default: "\(failed) failed deliveries"
            }
        return [
            "recover_nothing": failed == 0, "recover_count_text": text,
            "recover_button": failed >= failedCountLimit ? "Send them all again" : "Send \(failed) again",
        ]
    }

    /// Failed deliveries the recovery counts at most (five pages of 200).
    static let failedCountLimit = 1_000

    /// How many failed deliveries were created since `since` (newest first; at most
    /// `failedCountLimit` counted).
    func failedCount(id: String, since: Date, session: ConsoleSession, requestID: String) async throws -> Int {
        var count = 0
        var cursor: String?
        for _ in 0..<(Self.failedCountLimit / 200) {
            var path = Self.subscriptions + "/\(id)/deliveries?status=failed&limit=200"
            if let cursor { path += "&cursor=" + urlComponent(cursor) }
            let page = try await console.api.get(path, session: session, requestID: requestID)
            for delivery in page["data"]?.arrayValue ?? [] {
                guard let created = delivery["created_at"]?.stringValue.flatMap(ISO8601DateFormatter().date(from:)) else { continue }
                if created < since { return count }
                count += 1
            }
            guard let next = page["next_cursor"]?.stringValue else { break }
            cursor = next
        }
        return count
    }

    /// "97.5 % (39 of 40)", rounded down so a failure never reads as 100 %; "no deliveries" when
    /// none was attempted; "—" when the figure could not be read.
    static func successText(_ stats: JSONValue?) -> String {
        guard let stats, let attempted = stats["attempted"]?.intValue else { return "—" }
        guard attempted > 0, let delivered = stats["delivered"]?.intValue else { return "no deliveries" }
        // From the counts, in whole numbers: the rate as a double could land a hair under a tenth.
        let tenths = delivered * 1_000 / attempted
        let percent = tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
        return "\(percent) % (\(delivered) of \(attempted))"
    }

    /// One attempt with its headers (webhook-service logs them; older attempts have none).
    static func attemptRow(_ attempt: JSONValue) -> [String: Any] {
        var row = attempt.fields
        row["ok"] = (attempt["status_code"]?.intValue ?? 0) / 100 == 2
        // null: nothing was sent or answered (or the attempt predates header logging); []: no headers.
        for (key, absent) in [
            ("request_headers", "None recorded: no request was made, or it predates header logging."), ("response_headers", "No response."),
        ] {
            let headers = attempt[key]?.arrayValue
            row["has_" + key] = !(headers ?? []).isEmpty
            if headers?.isEmpty != false { row["no_" + key] = headers == nil ? absent : "None." }
        }
        return row
    }

    static func deliveryRow(_ delivery: JSONValue) -> [String: Any] {
        var row = delivery.fields
        let status = delivery["status"]?.stringValue ?? ""
        row["status_icon"] = ["delivered": "✔", "failed": "✖", "pending": "…", "cancelled": "⏻"][status] ?? "?"
        row["status_label"] = status.capitalized
        return row
    }
}
