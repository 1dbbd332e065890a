import Foundation
import HubCore
import Hummingbird

/// What came in: a paginated list of one entity's records, and one record's canonical fields
/// beside the provider's own payload.
struct RecordPages {
    let console: Console

    func add(to group: RouterGroup<HubRequestContext>) {
        group.get("/connections/:id/records/:entity") { request, context in
            let session = try await console.session(request)
            let id = try pathID(context, "id")
            let entity = try context.parameters.require("entity")
            var path = "/api/v1/integrations/connections/\(id)/records/\(urlComponent(entity))?limit=50"
            if let cursor = request.uri.queryParameters["cursor"] { path += "&cursor=" + urlComponent(String(cursor)) }
            async let connectionReply = console.api.get("/api/v1/integrations/connections/\(id)", session: session, requestID: context.requestID)
            let page = try await console.api.get(path, session: session, requestID: context.requestID)
            var values = try await ConnectionPages.summary(try await connectionReply)
            values["tab_sync"] = true
            values["entity"] = entity
            values["records"] = (page["data"]?.arrayValue ?? []).map { record -> [String: Any] in
                var row = record.fields
                row["label"] =
                    record["fields"]?["name"]?.stringValue ?? record["fields"]?["number"]?.stringValue
                    ?? record["fields"]?["email"]?.stringValue ?? ""
                return row
            }
            if let next = page["next_cursor"]?.stringValue {
                values["next_href"] = "/connections/\(id)/records/\(urlComponent(entity))?cursor=\(urlComponent(next))"
            }
            return console.page("records", title: "Records: \(entity)", section: "catalog", session: session, request: request, values: values)
        }
        group.get("/connections/:id/records/:entity/:record") { request, context in
            let session = try await console.session(request)
            let id = try pathID(context, "id")
            let entity = try context.parameters.require("entity")
            let recordID = try context.parameters.require("record")
            async let connectionReply = console.api.get("/api/v1/integrations/connections/\(id)", session: session, requestID: context.requestID)
            let record = try await console.api.get(
                "/api/v1/integrations/connections/\(id)/records/\(urlComponent(entity))/\(urlComponent(recordID))",
                session: session,
                requestID: context.requestID
            )
            var values = try await ConnectionPages.summary(try await connectionReply)
            values["tab_sync"] = true
            values["entity"] = entity
            values["record"] = record.fields
            values["canonical_rows"] = Self.rows(record["fields"] ?? .null)
            values["provider_json"] = (record["provider_payload"] ?? .null).prettyJSON
            return console.page("record", title: "Record", section: "catalog", session: session, request: request, values: values)
        }
    }

    /// Canonical fields as name/value rows; nested objects flattened with dots (`address.city`).
    static func rows(_ value: JSONValue, prefix: String = "") -> [[String: Any]] {
        guard case .object(let object) = value else { return [] }
        var rows: [[String: Any]] = []
        for key in object.keys.sorted() {
            let name = prefix.isEmpty ? key : prefix + "." + key
            switch object[key] ?? .null {
            case .object: rows += Self.rows(object[key] ?? .null, prefix: name)
            case .null: rows.append(["name": name, "value": "—"])
            case .string(let text): rows.append(["name": name, "value": text])
            case let other: rows.append(["name": name, "value": String(decoding: other.encoded(), as: UTF8.self)])
            }
        }
        return rows
    }
}
