import Foundation
import HTTPTypes
import HubCore
import Hummingbird

/// The Accounting API routes under `/xero/api.xro/2.0`:
///
/// - `GET /{Resource}`: a list (`page`, `pageSize`, `If-Modified-Since`, `where`, `order`,
///   `Statuses`, `IDs`, `includeArchived`); `GET /{Resource}/{id}`: one object.
/// - `PUT /{Resource}`: creates; `POST /{Resource}` and `POST /{Resource}/{id}`: create or update.
///   Bodies are `{"Invoices": […]}` or one object; `summarizeErrors=false` answers 200 with each
///   element's `ValidationErrors`; `Idempotency-Key` replays the first answer.
/// - `DELETE /Items/{id}`: items are deleted; everything else changes its status instead.
///
/// Every call needs a bearer token and the `xero-tenant-id` it reaches, and counts against the
/// tenant's limits.
struct XeroRoutes {
    let provider: XeroProvider

    static let tenantHeader = name("xero-tenant-id")
    static let idempotencyHeader = name("Idempotency-Key")
    static let modifiedSinceHeader = name("If-Modified-Since")

    private static func name(_ raw: String) -> HTTPField.Name {
        guard let name = HTTPField.Name(raw) else { preconditionFailure("'\(raw)' is not a header name") }
        return name
    }

    func add(to group: RouterGroup<SandboxContext>) {
        group.get(":resource") { request, context in
            await serve(request, context) { tenant in try list(request, context: context, tenant: tenant) }
        }
        group.get(":resource/:id") { request, context in
            await serve(request, context) { tenant in
                let resource = try Self.resource(context)
                let id = try context.parameters.require("id")
                guard let object = provider.store.withLedger(tenant, { $0.object(resource, id: id) }) else { throw XeroAPIError.notFound }
                return XeroReply.envelope(resource, [object])
            }
        }
        group.put(":resource") { request, context in
            await serve(request, context) { tenant in try await write(request, context: context, tenant: tenant, createOnly: true) }
        }
        group.post(":resource") { request, context in
            await serve(request, context) { tenant in try await write(request, context: context, tenant: tenant, createOnly: false) }
        }
        group.post(":resource/:id") { request, context in
            await serve(request, context) { tenant in try await write(request, context: context, tenant: tenant, createOnly: false) }
        }
        group.delete(":resource/:id") { request, context in
            await serve(request, context) { tenant in
                let resource = try Self.resource(context)
                guard resource == .items else { throw XeroAPIError.badRequest("\(resource.name) are not deleted; change their status instead") }
                let id = try context.parameters.require("id")
                guard provider.store.withLedger(tenant, { ledger in ledger.withCollection(resource) { $0.remove(id) } }) else {
                    throw XeroAPIError.notFound
                }
                return XeroReply(status: .noContent, body: [:])
            }
        }
    }

    /// Authenticates, checks the tenant, counts the call against the limits, and renders the
    /// handler's answer or error with the limit headers.
    func serve(_ request: Request, _ context: SandboxContext, _ handler: (String) async throws -> XeroReply) async -> Response {
        guard let token = PresentedClient.bearer(request), let tenants = provider.tenants(forToken: token) else {
            return XeroAPIError.unauthorized.response()
        }
        // The header picks one of the organisations the grant reaches.
        guard let named = request.headers[Self.tenantHeader], let tenant = tenants.first(where: { $0.lowercased() == named.lowercased() })
        else {
            return XeroAPIError.forbidden.response()
        }
        let remaining: XeroRateLimiter.Remaining
        switch provider.limiter.admit(tenant: tenant) {
        case .allowed(let left):
            remaining = left
        case .limited(let problem, let retryAfter, let left):
            return XeroAPIError.rateLimited(problem: problem, retryAfter: retryAfter).response(extraHeaders: Self.limitHeaders(left))
        }
        do {
            var reply = try await handler(tenant)
            reply.headers += Self.limitHeaders(remaining)
            if reply.status == .noContent { return Response(status: .noContent, headers: OAuthHTTP.headers(reply.headers)) }
            return reply.response()
        } catch let error as XeroAPIError {
            return error.response(extraHeaders: Self.limitHeaders(remaining))
        } catch {
            return XeroAPIError.badRequest("The request could not be read").response(extraHeaders: Self.limitHeaders(remaining))
        }
    }

    static func limitHeaders(_ remaining: XeroRateLimiter.Remaining) -> [(String, String)] {
        [
            ("X-MinLimit-Remaining", String(remaining.minute)), ("X-DayLimit-Remaining", String(remaining.day)),
            ("X-AppMinLimit-Remaining", String(remaining.appMinute)),
        ]
    }

    static func resource(_ context: SandboxContext) throws -> XeroResource {
        guard let resource = XeroResource.named(try context.parameters.require("resource")) else { throw XeroAPIError.notFound }
        return resource
    }

    func list(_ request: Request, context: SandboxContext, tenant: String) throws -> XeroReply {
        let resource = try Self.resource(context)
        let parameters = request.uri.queryParameters
        var query = XeroListQuery()
        if let page = parameters["page"].map(String.init) {
            guard let number = Int(page), number >= 1 else { throw XeroAPIError.badRequest("page must be a positive number") }
            query.page = number
        }
        if let size = parameters["pageSize"].flatMap({ Int(String($0)) }) {
            query.pageSize = min(max(size, 1), XeroListQuery.maxPageSize)
        }
        query.modifiedSince = request.headers[Self.modifiedSinceHeader].flatMap(XeroTimestamp.milliseconds(header:))
        if let text = parameters["where"].map(String.init), !text.isEmpty {
            guard let filter = XeroWhere(text) else {
                throw XeroAPIError.badRequest("The where clause could not be parsed", type: "QueryParseException")
            }
            query.filter = filter
        }
        if let text = parameters["order"].map(String.init), !text.isEmpty {
            guard let order = XeroListQuery.order(text) else {
                throw XeroAPIError.badRequest("The order clause could not be parsed", type: "QueryParseException")
            }
            query.order = order
        }
        query.statuses = parameters["Statuses"].map { Set($0.split(separator: ",").map { $0.uppercased() }) }
        query.ids = parameters["IDs"].map { Set($0.split(separator: ",").map { $0.lowercased() }) }
        query.includeArchived = parameters["includeArchived"].map { $0.lowercased() == "true" } ?? false
        let (objects, pagination) = provider.store.withLedger(tenant) { $0.list(resource, query) }
        return XeroReply.envelope(resource, objects, pagination: pagination)
    }

    func write(_ request: Request, context: SandboxContext, tenant: String, createOnly: Bool) async throws -> XeroReply {
        let resource = try Self.resource(context)
        let bytes = Array(buffer: try await request.body.collect(upTo: context.maxUploadSize))
        guard case .object(let body)? = JSONReader.parse(bytes) else { throw XeroAPIError.badRequest("The request body is not JSON") }
        let elements: [JSONObject] =
            if case .array(let list)? = body[resource.name] { list.compactMap(\.objectValue) } else { [body] }
        let summarize = request.uri.queryParameters["summarizeErrors"].map { $0.lowercased() != "false" } ?? true
        let pathID = context.parameters.get("id")
        let key = request.headers[Self.idempotencyHeader]
        if let key, key.count > 128 { throw XeroAPIError.badRequest("The Idempotency-Key must be at most 128 characters") }
        let fingerprint = Array("\(request.method) \(request.uri.path)?\(request.uri.query ?? "")\n".utf8) + bytes
        let (reply, events) = try provider.store.withLedger(tenant) { ledger throws -> (XeroReply, [XeroWebhookSender.Event]) in
            if let key, let kept = ledger.idempotency[key] {
                guard kept.request == fingerprint else { throw XeroAPIError.idempotencyConflict }
                let body = JSONReader.parse(kept.body)?.objectValue ?? [:]
                return (XeroReply(status: HTTPResponse.Status(code: kept.status), body: body, headers: [("Idempotent-Replayed", "true")]), [])
            }
            let written = ledger.save(resource, elements: elements, pathID: pathID, createOnly: createOnly, summarizeErrors: summarize)
            let reply = Self.reply(resource, written, summarize: summarize)
            if let key { ledger.idempotency[key] = XeroIdempotentAnswer(request: fingerprint, status: Int(reply.status.code), body: reply.bytes) }
            return (reply, Self.events(resource, written, tenant: tenant))
        }
        await provider.sender.send(events)
        return reply
    }

    /// 200 with the saved objects, or Xero's `ValidationException` when a summarized batch failed;
    /// unsummarized, every element says whether it has errors.
    static func reply(_ resource: XeroResource, _ written: [XeroLedger.Written], summarize: Bool) -> XeroReply {
        let failed = written.contains { !$0.errors.isEmpty }
        let elements = written.map { element -> JSONObject in
            var object = element.object
            if failed || !summarize {
                object["ValidationErrors"] = .array(element.errors.map { ["Message": .string($0)] })
                if !summarize { object["HasErrors"] = .bool(!element.errors.isEmpty) }
            }
            return object
        }
        if failed && summarize {
            let error = XeroAPIError.validation(elements)
            return XeroReply(status: error.status, body: error.body)
        }
        return XeroReply.envelope(resource, elements)
    }

    static func events(_ resource: XeroResource, _ written: [XeroLedger.Written], tenant: String) -> [XeroWebhookSender.Event] {
        guard let category = resource.eventCategory else { return [] }
        return written.filter { $0.errors.isEmpty }.compactMap { element in
            element.object[resource.idField]?.stringValue.map {
                XeroWebhookSender.Event(tenantID: tenant, category: category, type: element.eventType, resourceID: $0, resource: resource.name)
            }
        }
    }
}
