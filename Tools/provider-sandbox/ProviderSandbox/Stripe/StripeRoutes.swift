import HTTPTypes
import HubCore
import Hummingbird
import NIOCore

/// The `/v1` endpoints. Reads answer from the store directly; every write goes through `write`,
/// which applies idempotency keys, runs the change atomically, and sends the events it recorded
/// to the registered webhook endpoints before answering.
struct StripeRoutes: Sendable {
    let store: StripeStore
    let sender: StripeWebhookSender

    func add(to v1: RouterGroup<SandboxContext>) {
        v1.get(":resource") { request, context -> Response in
            let name = try context.parameters.require("resource")
            let requestID = StripeHeaders.newRequestID()
            switch name {
            case "balance": return Self.json(store.balance(), request: request, requestID: requestID)
            case "account": return Self.json(store.account(), request: request, requestID: requestID)
            default:
                let resource = try Self.resource(context, request)
                let bytes = try store.list(resource, params: Self.query(request))
                return Self.json(bytes, request: request, requestID: requestID)
            }
        }
        v1.get(":resource/:id") { request, context -> Response in
            let resource = try Self.resource(context, request)
            let bytes = try store.retrieve(resource, id: try context.parameters.require("id"))
            return Self.json(bytes, request: request, requestID: StripeHeaders.newRequestID())
        }
        v1.get(":resource/:id/lines") { request, context -> Response in
            guard try Self.resource(context, request) == .invoices else { throw Self.unrecognized(request) }
            let bytes = try store.invoiceLines(try context.parameters.require("id"), params: Self.query(request))
            return Self.json(bytes, request: request, requestID: StripeHeaders.newRequestID())
        }
        v1.post(":resource") { request, context -> Response in
            let resource = try Self.resource(context, request)
            guard resource.creatable else { throw Self.unrecognized(request) }
            return try await write(request, context) { state, params throws(StripeAPIError) in try state.create(resource, params: params) }
        }
        v1.post(":resource/:id") { request, context -> Response in
            let resource = try Self.resource(context, request)
            let id = try context.parameters.require("id")
            return try await write(request, context) { state, params throws(StripeAPIError) in
                try state.update(resource, id, params: params)
            }
        }
        v1.delete(":resource/:id") { request, context -> Response in
            let resource = try Self.resource(context, request)
            guard resource.deletable else { throw Self.unrecognized(request) }
            let id = try context.parameters.require("id")
            return try await write(request, context) { state, _ throws(StripeAPIError) in try state.delete(resource, id) }
        }
        v1.post(":resource/:id/:action") { request, context -> Response in
            let resource = try Self.resource(context, request)
            let id = try context.parameters.require("id")
            let action = try context.parameters.require("action")
            return try await write(request, context) { state, params throws(StripeAPIError) in
                switch (resource, action) {
                case (.paymentIntents, "confirm"): return try state.confirmPaymentIntent(id, params: params)
                case (.paymentIntents, "cancel"): return try state.cancelPaymentIntent(id, params: params)
                case (.invoices, "finalize"):
                    try StripeParameters.check(params, allowed: ["auto_advance"])
                    return try state.finalizeInvoice(id)
                case (.invoices, "pay"): return try state.payInvoice(id, params: params)
                case (.invoices, "void"): return try state.voidInvoice(id)
                default: throw Self.unrecognized(request)
                }
            }
        }
    }

    /// Runs a change with Stripe's idempotency semantics (POST only, as Stripe: DELETE is
    /// idempotent by definition) and delivers its events.
    func write(
        _ request: Request,
        _ context: SandboxContext,
        _ operation: (inout StripeState, JSONObject) throws(StripeAPIError) -> JSONObject
    ) async throws -> Response {
        let body = Array(buffer: try await request.body.collect(upTo: context.maxUploadSize))
        let params = StripeForm.decode(body)
        let requestID = StripeHeaders.newRequestID()
        let now = StripeStore.now
        var key = request.method == .post ? request.headers[StripeHeaders.idempotencyKey] : nil
        if key?.isEmpty == true { key = nil }
        if let key {
            guard key.count <= 255 else {
                throw StripeAPIError.invalid("Idempotency-Key must be at most 255 characters.", param: nil)
            }
            let fingerprint = StripeIdempotency.fingerprint(method: "\(request.method)", path: request.uri.path, body: body)
            switch store.idempotency.begin(key: key, fingerprint: fingerprint, now: now) {
            case .proceed: break
            case .replay(let saved):
                return Self.json(
                    saved.body,
                    status: .init(code: saved.status),
                    request: request,
                    requestID: requestID,
                    extra: [StripeHeaders.idempotentReplayed: "true", StripeHeaders.idempotencyKey: key]
                )
            case .mismatch: throw StripeAPIError.idempotencyMismatch(key)
            case .inUse: throw StripeAPIError.idempotencyInUse(key)
            }
        }
        let change = StripeState.Change(now: now, requestID: requestID, idempotencyKey: key)
        let (result, events) = store.write(change) { state throws(StripeAPIError) in try operation(&state, params) }
        let response: Response
        switch result {
        case .success(let fields):
            let bytes = JSONValue.object(fields).encoded(.identityFirst)
            if let key { store.idempotency.finish(key: key, response: .init(status: 200, body: bytes)) }
            let echo: HTTPFields = key.map { [StripeHeaders.idempotencyKey: $0] } ?? [:]
            response = Self.json(bytes, request: request, requestID: requestID, extra: echo)
        case .failure(let error):
            // A request that ran (a declined card) is saved and replayed; one refused before it ran is not.
            let ran = error.status == StripeAPIError.paymentRequired
            if let key {
                store.idempotency.finish(key: key, response: ran ? .init(status: Int(error.status.code), body: error.bodyBytes) : nil)
            }
            response = error.response()
        }
        await sender.send(events)
        if case .success = result, store.takeLostResponse() { return StripeAPIError.serverError.response() }
        return response
    }

    // MARK: Helpers

    static func resource(_ context: SandboxContext, _ request: Request) throws -> StripeResource {
        guard let resource = StripeResource.byPath[try context.parameters.require("resource")] else { throw unrecognized(request) }
        return resource
    }

    static func unrecognized(_ request: Request) -> StripeAPIError {
        .unrecognizedURL("\(request.method)", path: String(request.uri.path.dropFirst("/stripe".count)))
    }

    static func query(_ request: Request) -> JSONObject {
        StripeForm.decode(Substring(request.uri.query ?? ""))
    }

    static func json(
        _ bytes: [UInt8],
        status: HTTPResponse.Status = .ok,
        request: Request,
        requestID: String,
        extra: HTTPFields = [:]
    ) -> Response {
        var headers: HTTPFields = [
            .contentType: "application/json", StripeHeaders.requestID: requestID,
            StripeHeaders.stripeVersion: request.headers[StripeHeaders.stripeVersion] ?? StripeSandbox.apiVersion,
        ]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
