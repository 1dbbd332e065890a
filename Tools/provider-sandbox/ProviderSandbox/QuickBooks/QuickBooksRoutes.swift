import Foundation
import HubCore
import Hummingbird

/// The Accounting API of one company, under `/quickbooks/v3/company/{realm}/`:
///
/// - `GET query?query=<select>` (or `POST query` with the select as the body, as python-quickbooks
///   sends it): `{"QueryResponse":{"<Entity>":[…],"startPosition","maxResults"},"time"}`, or
///   `{"QueryResponse":{"totalCount"}}` for `COUNT(*)`.
/// - `GET cdc?entities=A,B&changedSince=<ISO 8601>`.
/// - `GET {entity}/{id}`; `POST {entity}` creates, or updates when the body has an `Id`;
///   `POST {entity}?operation=delete` deletes.
///
/// Every call needs a bearer token for the realm in the path (issued by the emulated OAuth
/// server or the admin API) and passes the per-realm throttle; `minorversion` is accepted.
struct QuickBooksRoutes {
    let provider: QuickBooksSandbox

    typealias Handler = @Sendable (String, Request, SandboxContext) async throws(QuickBooksFault) -> JSONValue

    func add(to group: RouterGroup<SandboxContext>) {
        let provider = self.provider
        group.get(
            "query",
            use: guarded { realm, request, _ throws(QuickBooksFault) in
                guard let text = request.uri.queryParameters["query"] else { throw .invalidQuery("QueryParserError: the query parameter is missing") }
                return try provider.query(String(text), realm: realm)
            }
        )
        group.post(
            "query",
            use: guarded { realm, request, context throws(QuickBooksFault) in
                let text: String
                if let parameter = request.uri.queryParameters["query"] {
                    text = String(parameter)
                } else {
                    text = String(buffer: try await Self.body(request, context))
                }
                return try provider.query(text, realm: realm)
            }
        )
        group.get(
            "cdc",
            use: guarded { realm, request, _ throws(QuickBooksFault) in
                let parameters = request.uri.queryParameters
                guard let names = parameters["entities"].map(String.init), !names.isEmpty else {
                    throw .requiredParameter("entities", entity: .customer)
                }
                guard let sinceText = parameters["changedSince"].map(String.init) else { throw .requiredParameter("changedSince", entity: .customer) }
                var entities: [QuickBooksEntity] = []
                for name in names.split(separator: ",") {
                    guard let entity = QuickBooksEntity(name: name.trimmingWhitespace()) else { throw .unknownEntity(String(name)) }
                    entities.append(entity)
                }
                guard let since = QuickBooksTime.parse(sinceText) else {
                    throw .badRequest("changedSince is not a date-time", element: "changedSince")
                }
                return try provider.store.withCompany(realm) { company throws(QuickBooksFault) in
                    try company.changeDataCapture(entities, since: since, now: QuickBooksTime.now)
                }
            }
        )
        group.get(
            "{entity}/{id}",
            use: guarded { realm, _, context throws(QuickBooksFault) in
                let entity = try Self.entity(context)
                let id = context.parameters.get("id") ?? ""
                let object = try provider.store.withCompany(realm) { company throws(QuickBooksFault) in try company.read(entity, id: id) }
                return Self.envelope(entity, object)
            }
        )
        group.post(
            "{entity}",
            use: guarded { realm, request, context throws(QuickBooksFault) in
                let entity = try Self.entity(context)
                guard case .object(let body)? = JSONValue.parse(try await Self.body(request, context)) else {
                    throw .badRequest("Request body is not a JSON object")
                }
                let operation = request.uri.queryParameters["operation"].map { $0.lowercased() }
                // A retried write with the same requestid gets the first answer and changes nothing.
                let requestID = request.uri.queryParameters["requestid"].map { "\(entity.rawValue)/\(operation ?? "")/\($0)" }
                let now = QuickBooksTime.now
                let edits = body["Id"] != nil && operation != "delete" && provider.concurrentEdits.take()
                let (object, change) = try provider.store.withCompany(realm) { company throws(QuickBooksFault) -> (JSONObject, QuickBooksChange?) in
                    if let requestID, let answer = company.answered[requestID] { return (answer, nil) }
                    if edits, let id = body["Id"]?.integer { company.editInProduct(entity, id: id, at: now) }
                    let written: (JSONObject, QuickBooksChange)
                    switch operation {
                    case "delete"?: written = try company.delete(entity, body, at: now)
                    case "update"?: written = try company.update(entity, body, at: now)
                    case nil: written = try body["Id"] != nil ? company.update(entity, body, at: now) : company.create(entity, body, at: now)
                    case let other?: throw .unsupported(other, entity: entity)
                    }
                    if let requestID { company.answered[requestID] = written.0 }
                    return written
                }
                if let change { await provider.sender.send([change], realm: realm) }
                return Self.envelope(entity, object)
            }
        )
    }

    /// `{"Invoice": {…}, "time": …}`.
    static func envelope(_ entity: QuickBooksEntity, _ object: JSONObject) -> JSONValue {
        [entity.rawValue: .object(object), "time": .string(QuickBooksTime.string(QuickBooksTime.now))]
    }

    static func entity(_ context: SandboxContext) throws(QuickBooksFault) -> QuickBooksEntity {
        let name = context.parameters.get("entity") ?? ""
        guard let entity = QuickBooksEntity(name: name) else {
            throw QuickBooksFault(status: .notFound, type: "ValidationFault", code: "4000", message: "Unsupported entity", detail: name)
        }
        return entity
    }

    static func body(_ request: Request, _ context: SandboxContext) async throws(QuickBooksFault) -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw .badRequest("Request body could not be read")
        }
    }

    /// Authenticates the bearer token for the path's realm, admits the call through the
    /// throttle, and renders the handler's answer or fault.
    func guarded(_ handler: @escaping Handler) -> @Sendable (Request, SandboxContext) async throws -> Response {
        let provider = self.provider
        return { request, context in
            let realm = context.parameters.get("realm") ?? ""
            guard let token = PresentedClient.bearer(request), let tokenRealm = provider.realm(ofToken: token) else {
                return provider.oauth.faultResponse(.unauthorized)
            }
            guard tokenRealm == realm else {
                return QuickBooksOAuthRoutes.fault(
                    status: .forbidden,
                    type: "AUTHORIZATION",
                    code: "003100",
                    message: "ApplicationAuthorizationFailed"
                )
            }
            switch provider.throttle.admit(realm) {
            case .limited(let seconds):
                return provider.oauth.faultResponse(.rateLimited(retryAfterSeconds: Double(seconds)))
            case .allowed:
                break
            }
            defer { provider.throttle.release(realm) }
            do throws(QuickBooksFault) {
                return JSONBody.response(try await handler(realm, request, context).encoded())
            } catch {
                return error.response()
            }
        }
    }
}
