import Hummingbird

/// One provider's OAuth endpoints at the provider's own paths, attachable to any provider's router
/// group. Providers whose data API the sandbox also emulates (Shopify today) call `addRoutes` and
/// `addAdminRoutes` from their own `SandboxProvider`, since a provider id can be mounted once;
/// OAuth-only providers are wrapped by `OAuthSandboxProvider`.
public protocol SandboxOAuthRoutes: Sendable {
    /// The engine behind the routes: settings, counters, tokens.
    var server: OAuthServer { get }

    /// Adds the authorize, token, revocation and who-am-I endpoints under `group` (mounted at
    /// `/<provider id>`).
    func addRoutes(to group: RouterGroup<SandboxContext>)

    /// The provider's rendering of an injected fault on these endpoints.
    func faultResponse(_ fault: InjectedFault) -> Response
}

extension SandboxOAuthRoutes {
    /// Adds `/_admin/<provider>/oauth…` under `group` (mounted at `/_admin/<provider id>`).
    public func addAdminRoutes(to group: RouterGroup<SandboxContext>) {
        OAuthAdminRoutes(server: server).add(to: group)
    }
}
