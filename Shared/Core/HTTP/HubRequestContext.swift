import Hummingbird
import W3CTraceContext

/// What a handler knows about the request beyond the request itself: who is calling (set by the
/// authentication middleware), the request id every log line carries, and the trace context
/// propagated to service-to-service calls.
public struct HubRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller of a `/api/v1` route; nil before authentication or on public routes.
    public var identity: Identity?
    /// The Zapier API key that authenticated a `…/zapier/…` route (`identity` is its organization).
    public var zapierKey: ZapierKey?
    /// Set by `RequestIDMiddleware` from `X-Request-Id` or freshly generated.
    public var requestID: String
    public var traceContext: TraceContext?
    /// Largest body a handler will read; set from `HUB_MAX_BODY_BYTES` by the middleware.
    public var maxBodyBytes: Int

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.identity = nil
        self.zapierKey = nil
        self.requestID = ""
        self.traceContext = nil
        self.maxBodyBytes = 1 << 20
    }

    public var maxUploadSize: Int { maxBodyBytes }

    /// Response bodies in the hub's JSON: lowercase identifiers, `/` unescaped (see `HubResponseEncoder`).
    public var responseEncoder: HubResponseEncoder { HubResponseEncoder() }

    /// The authenticated caller, or 401 when a route forgot its middleware (a programmer error
    /// that must still fail closed).
    public func requireIdentity() throws -> Identity {
        guard let identity else { throw APIError.unauthorized("authentication required") }
        return identity
    }
}
