import Hummingbird

/// One emulated provider. Each is mounted under `/<id>/…`, so the sandbox's base URL for a
/// provider is `http://host:port/<id>` and the provider's own paths follow unchanged
/// (`/stripe/v1/customers`, `/shopify/<shop>/admin/api/2024-01/products.json`,
/// `/plaid/transactions/sync`). Connectors only change their base URL to use it.
public protocol SandboxProvider: Sendable {
    /// The provider id, also the mount path (`stripe`).
    var id: String { get }

    /// Adds the emulated API under `group` (already mounted at `/<id>`).
    func addRoutes(to group: RouterGroup<SandboxContext>)

    /// Adds the admin routes under `group` (mounted at `/_admin/<id>`): create, update and
    /// delete objects behind the API's back, firing the provider's webhooks.
    func addAdminRoutes(to group: RouterGroup<SandboxContext>)

    /// The provider's own rendering of an injected fault (its 429 body and headers, its 5xx body,
    /// its expired-credential answer).
    func faultResponse(_ fault: InjectedFault) -> Response
}

/// What the fault injector decided for one request.
public enum InjectedFault: Sendable, Equatable {
    case rateLimited(retryAfterSeconds: Double)
    case serverError
    /// The credential is treated as expired or revoked.
    case unauthorized
}
