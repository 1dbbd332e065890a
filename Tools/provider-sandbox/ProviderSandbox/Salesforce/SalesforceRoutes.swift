import Foundation
import HTTPTypes
import HubCore
import Hummingbird

/// The REST API under `/salesforce/services/data/vXX.X`:
///
/// - `GET query?q=` and `queryAll?q=` (deleted records too): the first batch (`batchSize` from
///   `Sforce-Query-Options`, 200–2,000, default 2,000) and `nextRecordsUrl` until `done`;
///   `GET query/{locator}-{offset}` the next batch.
/// - `GET sobjects/{type}/updated` and `/deleted` with `start` / `end`: ids changed, records
///   deleted, within the last 30 and 15 days.
/// - `POST sobjects/{type}`, `GET|PATCH|DELETE sobjects/{type}/{id}`, `PATCH|GET
///   sobjects/{type}/{externalIdField}/{value}` (upsert).
/// - sObject Collections (`SalesforceCollections`).
///
/// Every call needs a live bearer token, counts against the org's daily allowance and answers
/// with `Sforce-Limit-Info: api-usage=N/M`.
struct SalesforceRoutes {
    let provider: SalesforceProvider

    static let queryOptions = HTTPField.Name("Sforce-Query-Options")!

    func add(to group: RouterGroup<SandboxContext>) {
        for kind in ["query", "queryAll"] {
            group.get(RouterPath(":version/\(kind)")) { request, context in
                await serve(request, context) { org, version in
                    guard let text = FormParameters.query(of: request)["q"], !text.isEmpty else {
                        throw SalesforceAPIError.malformedQuery("A query string has to be specified")
                    }
                    let query = try SalesforceSOQL(parsing: text)
                    let size = Self.batchSize(request)
                    let (records, total, next) = try provider.store.withOrg(org) { org throws(SalesforceAPIError) in
                        org.query(query, batchSize: size, includeDeleted: kind == "queryAll")
                    }
                    return .json(Self.queryResult(records, total: total, next: next, version: version, kind: kind))
                }
            }
            group.get(RouterPath(":version/\(kind)/:locator")) { request, context in
                await serve(request, context) { org, version in
                    let raw = try context.parameters.require("locator")
                    let parts = raw.split(separator: "-")
                    guard parts.count == 2, let offset = Int(parts[1]) else { throw SalesforceAPIError.invalidQueryLocator }
                    let locator = String(parts[0])
                    let size = Self.batchSize(request)
                    let (records, next, total) = try provider.store.withOrg(org) { org throws(SalesforceAPIError) in
                        guard let cursor = org.cursors[locator] else { throw SalesforceAPIError.invalidQueryLocator }
                        let (records, next) = org.batch(locator, offset: offset, batchSize: size)
                        return (records, next, cursor.ids.count)
                    }
                    return .json(Self.queryResult(records, total: total, next: next, version: version, kind: kind))
                }
            }
        }
        group.post(":version/sobjects/:type") { request, context in
            await serve(request, context) { org, _ in
                let type = try Self.type(context)
                let fields = try await Self.object(request, context)
                let id = try provider.store.withOrg(org) { org throws(SalesforceAPIError) in try org.create(type, fields) }
                return SalesforceReply(status: .created, body: ["id": .string(id), "success": true, "errors": []])
            }
        }
        group.get(":version/sobjects/:type/:id") { request, context in
            await serve(request, context) { org, version in
                let type = try Self.type(context)
                let id = try context.parameters.require("id")
                switch id.lowercased() {
                case "updated": return try replication(request, org: org, type: type, deleted: false)
                case "deleted": return try replication(request, org: org, type: type, deleted: true)
                default: break
                }
                let record = try provider.store.withOrg(org) { org throws(SalesforceAPIError) in
                    guard let record = org.withTable(type, { $0.record(id) }) else { throw SalesforceAPIError.notFound }
                    return record
                }
                return .json(.object(Self.full(record, type, request: request, version: version)))
            }
        }
        group.patch(":version/sobjects/:type/:id") { request, context in
            await serve(request, context) { org, _ in
                let type = try Self.type(context)
                let id = try context.parameters.require("id")
                let fields = try await Self.object(request, context)
                try provider.store.withOrg(org) { org throws(SalesforceAPIError) in try org.update(type, id: id, fields) }
                return SalesforceReply(status: .noContent, body: nil)
            }
        }
        group.delete(":version/sobjects/:type/:id") { request, context in
            await serve(request, context) { org, _ in
                let type = try Self.type(context)
                let id = try context.parameters.require("id")
                try provider.store.withOrg(org) { org throws(SalesforceAPIError) in try org.delete(type, id: id) }
                return SalesforceReply(status: .noContent, body: nil)
            }
        }
        // The field takes the `:id` slot: Hummingbird names one position alike in every route.
        group.patch(":version/sobjects/:type/:id/:value") { request, context in
            await serve(request, context) { org, _ in
                let type = try Self.type(context)
                let field = try context.parameters.require("id")
                let value = try context.parameters.require("value")
                let fields = try await Self.object(request, context)
                let (id, created) = try provider.store.withOrg(org) { org throws(SalesforceAPIError) in
                    try org.upsert(type, field: field, value: value, fields)
                }
                return SalesforceReply(
                    status: created ? .created : .ok,
                    body: ["id": .string(id), "success": true, "errors": [], "created": .bool(created)]
                )
            }
        }
        group.get(":version/sobjects/:type/:id/:value") { request, context in
            await serve(request, context) { org, version in
                let type = try Self.type(context)
                guard let field = type.field(try context.parameters.require("id")) else { throw SalesforceAPIError.notFound }
                let value = try context.parameters.require("value")
                let record = try provider.store.withOrg(org) { org throws(SalesforceAPIError) in
                    try org.withTable(type) { table throws(SalesforceAPIError) in
                        guard let position = table.matching(field, equals: value).first else { throw SalesforceAPIError.notFound }
                        return table.records[position]
                    }
                }
                return .json(.object(Self.full(record, type, request: request, version: version)))
            }
        }
        SalesforceCollections(routes: self).add(to: group)
        group.get(":version/limits") { request, context in
            await serve(request, context) { org, _ in
                let limit = provider.store.dailyLimit
                let used = try provider.store.withOrg(org) { org throws(SalesforceAPIError) in org.apiUsage }
                return .json(["DailyApiRequests": ["Max": .int(limit), "Remaining": .int(max(0, limit - used))]])
            }
        }
    }

    /// Authenticates, checks the version, counts the call against the daily allowance, and
    /// renders the handler's answer or error with `Sforce-Limit-Info`.
    func serve(_ request: Request, _ context: SandboxContext, _ handler: (String, String) async throws -> SalesforceReply) async -> Response {
        guard let token = PresentedClient.bearer(request), let org = provider.org(forToken: token) else {
            return SalesforceAPIError.invalidSession.response()
        }
        let version = context.parameters.get("version") ?? ""
        guard Self.isServed(version) else { return SalesforceAPIError.notFound.response() }
        let (admitted, used, limit) = provider.store.admit(org)
        let header = [("Sforce-Limit-Info", "api-usage=\(used)/\(limit)")]
        guard admitted else { return SalesforceAPIError.requestLimitExceeded.response(headers: header) }
        do {
            return try await handler(org, version).response(headers: header)
        } catch let error as SalesforceAPIError {
            return error.response(headers: header)
        } catch {
            return SalesforceAPIError.badRequest("JSON_PARSER_ERROR", "The request body could not be read").response(headers: header)
        }
    }

    /// `v20.0` through the newest.
    static func isServed(_ version: String) -> Bool {
        guard version.hasPrefix("v"), let number = Double(version.dropFirst()), version.contains(".") else { return false }
        return number >= 20 && number <= Double(SalesforceProvider.latestVersion.dropFirst())!
    }

    static func type(_ context: SandboxContext) throws -> SalesforceObjectType {
        let name = try context.parameters.require("type")
        guard let type = SalesforceObjectType.named(name) else {
            throw SalesforceAPIError(status: .notFound, errorCode: "NOT_FOUND", message: "The requested resource does not exist")
        }
        return type
    }

    static func object(_ request: Request, _ context: SandboxContext) async throws -> JSONObject {
        guard case .object(let object)? = try await JSONValue.body(of: request, context: context) else {
            throw SalesforceAPIError.badRequest("JSON_PARSER_ERROR", "The request body is not a JSON object")
        }
        return object
    }

    /// `Sforce-Query-Options: batchSize=N`, held to 200–2,000 as Salesforce does.
    static func batchSize(_ request: Request) -> Int {
        let option = request.headers[queryOptions]?.split(separator: ",").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("batchSize=") }
        let value = option.flatMap { Int($0.split(separator: "=").last ?? "") } ?? 2000
        return min(max(value, 200), 2000)
    }

    static func queryResult(_ records: [JSONValue], total: Int, next: String?, version: String, kind: String) -> JSONValue {
        var result: JSONObject = ["totalSize": .int(total), "done": .bool(next == nil), "records": .array(records)]
        if let next { result["nextRecordsUrl"] = .string("/services/data/\(version)/\(kind)/\(next)") }
        return .object(result)
    }

    /// A whole record as `GET sobjects/{type}/{id}` returns it (only `fields=` when given).
    static func full(_ record: JSONObject, _ type: SalesforceObjectType, request: Request, version: String) -> JSONObject {
        let asked = FormParameters.query(of: request)["fields"].map { $0.split(separator: ",").compactMap { type.field(String($0)) } }
        let fields = asked ?? type.fields + record.keys.filter { $0.hasSuffix("__c") }.sorted()
        return SalesforceOrg.project(record, type, fields, children: [:], version: version)
    }

    /// `updated` / `deleted`: what changed or vanished between `start` and `end`.
    func replication(_ request: Request, org: String, type: SalesforceObjectType, deleted: Bool) throws -> SalesforceReply {
        let parameters = FormParameters.query(of: request)
        guard let start = parameters["start"].flatMap(SalesforceTime.parse), let end = parameters["end"].flatMap(SalesforceTime.parse) else {
            throw SalesforceAPIError.badRequest("INVALID_REPLICATION_DATE", "start and end must be dateTime values")
        }
        let now = SalesforceTime.now
        let window: Int64 = (deleted ? 15 : 30) * 86_400_000
        guard start <= end else { throw SalesforceAPIError.badRequest("INVALID_REPLICATION_DATE", "startDate must chronologically precede endDate") }
        guard now - start <= window else {
            throw SalesforceAPIError.badRequest("INVALID_REPLICATION_DATE", "startDate cannot be more than \(deleted ? 15 : 30) days ago")
        }
        let covered = JSONValue.string(SalesforceTime.string(min(end, now)))
        if deleted {
            let (rows, emptied) = try provider.store.withOrg(org) { org throws(SalesforceAPIError) in
                (org.deleted(type, start: start, end: end), org.recycleBinEmptiedAt)
            }
            return .json([
                "deletedRecords": .array(
                    rows.map { row -> JSONValue in ["id": .string(row.id), "deletedDate": .string(SalesforceTime.string(row.at))] }
                ),
                // The log reaches back 15 days, or to when the Recycle Bin was last emptied.
                "earliestDateAvailable": .string(SalesforceTime.string(max(now - window, emptied))), "latestDateCovered": covered,
            ])
        }
        let ids = try provider.store.withOrg(org) { org throws(SalesforceAPIError) in org.updated(type, start: start, end: end) }
        return .json(["ids": .array(ids.map(JSONValue.string)), "latestDateCovered": covered])
    }
}

/// An answer of the REST API: JSON (an object or an array), or nothing for 204.
struct SalesforceReply: Sendable {
    var status: HTTPResponse.Status = .ok
    var body: JSONValue?

    static func json(_ body: JSONValue) -> SalesforceReply {
        SalesforceReply(body: body)
    }

    func response(headers: [(String, String)]) -> Response {
        guard let body else { return Response(status: status, headers: OAuthHTTP.headers(headers)) }
        return JSONBody.response(body.encoded(), status: status, headers: OAuthHTTP.headers(headers))
    }
}
