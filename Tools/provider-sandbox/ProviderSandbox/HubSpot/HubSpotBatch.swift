import Foundation
import HubCore
import Hummingbird

/// Writes and batch reads of one object type in one portal. A batch holds at most 100 inputs;
/// the inputs HubSpot refuses are answered in `errors` (each naming the input by its
/// `objectWriteTraceId`, or its id) with 207 Multi-Status beside the others' results, which are
/// saved. Archiving answers 204 whatever existed.
struct HubSpotBatch {
    let provider: HubSpotProvider
    let type: HubSpotObjectType
    let portal: String

    typealias Event = HubSpotWebhookSender.Event

    func run(_ action: String, _ body: JSONValue) throws -> HubSpotRoutes.Outcome {
        let inputs = body["inputs"]?.arrayValue ?? []
        guard inputs.count <= 100 else { throw HubSpotAPIError.validation("Batch input limit is 100, was \(inputs.count)") }
        let started = Self.now()
        var results: [JSONValue] = []
        var errors: [JSONValue] = []
        var events: [Event] = []
        var firstStatus: Int?
        switch action {
        case "read":
            let properties = body["properties"]?.arrayValue?.compactMap(\.stringValue)
            let idProperty = body["idProperty"]?.stringValue
            var missing: [String] = []
            provider.store.withPortal(portal) { state in
                for input in inputs {
                    let id = input["id"].flatMap(HubSpotSearch.text) ?? ""
                    let record = idProperty.map { state.find(type, property: $0, value: id) } ?? Int64(id).flatMap { state.live(type, id: $0) }
                    if let record { results.append(.object(record.json(type, properties: properties))) } else { missing.append(id) }
                }
            }
            if !missing.isEmpty {
                errors.append(
                    Self.error(
                        category: "OBJECT_NOT_FOUND",
                        message: "Could not get some \(type.errorName) objects, they may be deleted or not exist. Check that ids are valid.",
                        context: ["ids": .array(missing.map(JSONValue.string))]
                    )
                )
            }
        case "create":
            provider.store.withPortal(portal) { state in
                for input in inputs {
                    do {
                        let record = try state.create(type, properties: Self.properties(input), associations: associations(input))
                        results.append(.object(Self.traced(record.json(type, properties: Array(record.properties.keys).sorted()), input)))
                        events.append(Event(type: type, objectID: record.id, change: "creation"))
                    } catch {
                        let refusal = Self.refusal(error)
                        firstStatus = firstStatus ?? refusal.status
                        errors.append(Self.error(refusal, input: input))
                    }
                }
            }
        case "update", "upsert":
            provider.store.withPortal(portal) { state in
                for input in inputs {
                    let key = input["id"].flatMap(HubSpotSearch.text) ?? ""
                    let idProperty = input["idProperty"]?.stringValue
                    let properties = Self.properties(input)
                    do {
                        let existing =
                            idProperty.map { state.find(type, property: $0, value: key) } ?? Int64(key).flatMap { state.live(type, id: $0) }
                        if let existing {
                            let record = try state.update(type, id: existing.id, properties: properties)
                            var json = record.json(type, properties: Array(record.properties.keys).sorted())
                            if action == "upsert" { json["new"] = false }
                            results.append(.object(Self.traced(json, input)))
                            events += properties.keys.sorted().map {
                                Event(type: type, objectID: record.id, change: "propertyChange", propertyName: $0, propertyValue: properties[$0])
                            }
                        } else if action == "upsert", let idProperty, !key.isEmpty {
                            var values = properties
                            values[idProperty] = key
                            let record = try state.create(type, properties: values)
                            var json = record.json(type, properties: Array(record.properties.keys).sorted())
                            json["new"] = true
                            results.append(.object(Self.traced(json, input)))
                            events.append(Event(type: type, objectID: record.id, change: "creation"))
                        } else {
                            throw HubSpotPortal.Refusal(
                                status: 404,
                                category: "OBJECT_NOT_FOUND",
                                message: "Object not found. objectId: \(key)",
                                code: nil
                            )
                        }
                    } catch {
                        let refusal = Self.refusal(error)
                        firstStatus = firstStatus ?? refusal.status
                        errors.append(Self.error(refusal, input: input, id: key))
                    }
                }
            }
        case "archive":
            provider.store.withPortal(portal) { state in
                for input in inputs {
                    guard let id = input["id"].flatMap(HubSpotSearch.text).flatMap(Int64.init), state.archive(type, id: id) else { continue }
                    events.append(Event(type: type, objectID: id, change: "deletion"))
                }
            }
            return (HubSpotReply(status: .noContent, body: [:]), events)
        default:
            throw HubSpotAPIError.notFound()
        }
        let body = Self.answer(results: results, errors: errors, startedAt: started)
        // Nothing done and something refused: the first refusal is the answer (what HubSpot does
        // for a batch whose every input is invalid).
        if results.isEmpty, let first = errors.first, action != "read" {
            let status = HTTPResponse.Status(code: firstStatus ?? 400)
            var error = HubSpotAPIError(status: status, message: first["message"]?.stringValue ?? "", category: first["category"]?.stringValue ?? "")
            error.extra = ["errors": .array(errors)]
            throw error
        }
        let status: HTTPResponse.Status = errors.isEmpty ? (action == "create" ? .created : .ok) : HTTPResponse.Status(code: 207)
        return (HubSpotReply(status: status, body: body), events)
    }

    /// `POST /crm/v3/objects/{type}`: one object, with HubSpot's single-object answer.
    func createOne(_ body: JSONValue) throws -> HubSpotRoutes.Outcome {
        let outcome = provider.store.withPortal(portal) { state in
            Result { () throws(HubSpotPortal.Refusal) in try state.create(type, properties: Self.properties(body), associations: associations(body)) }
        }
        switch outcome {
        case .success(let record):
            let reply = HubSpotReply(status: .created, body: record.json(type, properties: Array(record.properties.keys).sorted()))
            return (reply, [Event(type: type, objectID: record.id, change: "creation")])
        case .failure(let refusal):
            throw Self.apiError(refusal)
        }
    }

    /// `PATCH /crm/v3/objects/{type}/{id}`.
    func updateOne(id: String, idProperty: String?, _ body: JSONValue) throws -> HubSpotRoutes.Outcome {
        let properties = Self.properties(body)
        let outcome = provider.store.withPortal(portal) { state in
            Result { () throws(HubSpotPortal.Refusal) in
                let existing = idProperty.map { state.find(type, property: $0, value: id) } ?? Int64(id).flatMap { state.live(type, id: $0) }
                guard let existing else {
                    throw HubSpotPortal.Refusal(status: 404, category: "OBJECT_NOT_FOUND", message: "resource not found", code: nil)
                }
                return try state.update(type, id: existing.id, properties: properties)
            }
        }
        switch outcome {
        case .success(let record):
            let events = properties.keys.sorted().map {
                Event(type: type, objectID: record.id, change: "propertyChange", propertyName: $0, propertyValue: properties[$0])
            }
            return (HubSpotReply(body: record.json(type, properties: Array(record.properties.keys).sorted())), events)
        case .failure(let refusal):
            throw Self.apiError(refusal)
        }
    }

    /// A result with its input's `objectWriteTraceId`, which HubSpot echoes so a client can tell
    /// which input a result answers (results need not follow the inputs' order).
    static func traced(_ result: JSONObject, _ input: JSONValue) -> JSONObject {
        var result = result
        if let trace = input["objectWriteTraceId"].flatMap(HubSpotSearch.text) { result["objectWriteTraceId"] = .string(trace) }
        return result
    }

    /// An input's `properties`, every value as HubSpot stores it: text.
    static func properties(_ input: JSONValue) -> [String: String] {
        var values: [String: String] = [:]
        for (name, value) in input["properties"]?.objectValue ?? [:] {
            values[name] = value == .null ? "" : (HubSpotSearch.text(value) ?? "")
        }
        return values
    }

    /// An input's `associations`: `[{"to":{"id"},"types":[{"associationCategory","associationTypeId"}]}]`,
    /// the target type read from the HubSpot-defined type ids, primary when one of them is the
    /// pair's primary type.
    func associations(_ input: JSONValue) -> [(target: HubSpotObjectType, id: Int64, primary: Bool)] {
        (input["associations"]?.arrayValue ?? []).compactMap { association in
            guard let id = association["to"]?["id"].flatMap(HubSpotSearch.text).flatMap(Int64.init) else { return nil }
            let typeIDs = (association["types"]?.arrayValue ?? []).compactMap { $0["associationTypeId"]?.intValue }
            guard let target = type.association(typeIDs) else { return nil }
            return (target.target, id, target.primary)
        }
    }

    static func apiError(_ refusal: HubSpotPortal.Refusal) -> HubSpotAPIError {
        var error = HubSpotAPIError(status: HTTPResponse.Status(code: refusal.status), message: refusal.message, category: refusal.category)
        if let code = refusal.code { error.extra = ["errors": [["message": .string(refusal.message), "code": .string(code)]]] }
        return error
    }

    static func refusal(_ error: any Error) -> HubSpotPortal.Refusal {
        error as? HubSpotPortal.Refusal ?? HubSpotPortal.Refusal(status: 400, category: "VALIDATION_ERROR", message: "invalid input", code: nil)
    }

    /// The time as a batch answer writes it.
    static func now() -> String { HubSpotRecord.iso(Int64(Date().timeIntervalSince1970 * 1000)) }

    /// A batch answer: `COMPLETE` with its results, and the refused inputs when there are some.
    static func answer(results: [JSONValue], errors: [JSONValue], startedAt: String) -> JSONObject {
        var body: JSONObject = ["status": "COMPLETE", "results": .array(results), "startedAt": .string(startedAt), "completedAt": .string(now())]
        if !errors.isEmpty {
            body["errors"] = .array(errors)
            body["numErrors"] = .int(errors.count)
        }
        return body
    }

    static func error(category: String, message: String, context: JSONObject) -> JSONValue {
        ["status": "error", "category": .string(category), "message": .string(message), "context": .object(context)]
    }

    /// One refused input, named by its `objectWriteTraceId` when it has one, else its id.
    static func error(_ refusal: HubSpotPortal.Refusal, input: JSONValue, id: String? = nil) -> JSONValue {
        var context: JSONObject = [:]
        if let trace = input["objectWriteTraceId"].flatMap(HubSpotSearch.text) { context["objectWriteTraceId"] = [.string(trace)] }
        if let id, !id.isEmpty { context["ids"] = [.string(id)] }
        var entry = Self.error(category: refusal.category, message: refusal.message, context: context)
        if case .object(var object) = entry, let code = refusal.code {
            object["errors"] = [["message": .string(refusal.message), "code": .string(code)]]
            entry = .object(object)
        }
        return entry
    }
}
