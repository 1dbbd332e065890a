import Hummingbird

/// A provider the sandbox emulates only as an authorization server (QuickBooks, Xero, Salesforce,
/// HubSpot, Slack and PayPal today). When one of them gains a data API, its `SandboxProvider`
/// replaces this wrapper and calls the same routes' `addRoutes` / `addAdminRoutes`.
public struct OAuthSandboxProvider: SandboxProvider {
    public let routes: any SandboxOAuthRoutes

    public init(_ routes: any SandboxOAuthRoutes) {
        self.routes = routes
    }

    public var id: String { routes.server.profile.id }

    public func addRoutes(to group: RouterGroup<SandboxContext>) {
        routes.addRoutes(to: group)
    }

    public func addAdminRoutes(to group: RouterGroup<SandboxContext>) {
        routes.addAdminRoutes(to: group)
    }

    public func faultResponse(_ fault: InjectedFault) -> Response {
        routes.faultResponse(fault)
    }
}
