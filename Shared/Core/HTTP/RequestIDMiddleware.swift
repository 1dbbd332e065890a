import HTTPTypes
import Hummingbird
import W3CTraceContext

/// Gives every request an id that appears on every log line and in the `X-Request-Id` response
/// header, taking the caller's when it sends a sane one, and continues (or starts) a W3C trace so
/// service-to-service calls carry `traceparent`.
public struct RequestIDMiddleware: RouterMiddleware {
    public typealias Context = HubRequestContext
    let maxBodyBytes: Int

    public init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let requestID = request.headers[.requestID].flatMap(Self.acceptable) ?? context.id
        context.requestID = requestID
        context.maxBodyBytes = maxBodyBytes
        context.logger[metadataKey: "request_id"] = "\(requestID)"
        context.logger[metadataKey: "hb.request.id"] = nil
        let parent = request.headers[.traceparent].flatMap {
            try? TraceContext(traceParentHeaderValue: $0, traceStateHeaderValue: request.headers[.tracestate])
        }
        let trace = TraceContext(
            traceID: parent?.traceID ?? .random(),
            spanID: .random(),
            flags: parent?.flags ?? .sampled,
            state: parent?.state ?? TraceState([])
        )
        context.traceContext = trace
        context.logger[metadataKey: "trace_id"] = "\(trace.traceID)"
        // Domain code deep below the handler (a token source, a lifecycle step) calls other
        // services without being handed the context: the task carries what they forward.
        var response = try await ServiceClient.Propagation.$current.withValue(ServiceClient.Propagation(context: context)) {
            try await next(request, context)
        }
        response.headers[.requestID] = requestID
        return response
    }

    /// Caller-supplied ids are echoed into logs and headers: accept only short, plain ones.
    static func acceptable(_ value: String) -> String? {
        guard (1...128).contains(value.utf8.count),
            value.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E && $0 != UInt8(ascii: "\"") })
        else { return nil }
        return value
    }
}

extension HTTPField.Name {
    public static let requestID = HTTPField.Name("X-Request-Id")!
    public static let traceparent = HTTPField.Name("traceparent")!
    public static let tracestate = HTTPField.Name("tracestate")!
}
