import Hummingbird
import Logging

/// The provider sandbox: every emulated provider mounted under its id, the admin API, and the
/// fault injector in front of them. A development and test tool: it listens on loopback and
/// holds only generated data.
public struct ProviderSandbox: Sendable {
    public let configuration: SandboxConfiguration
    public let providers: [any SandboxProvider]
    public let faults = FaultInjector()
    public let holds = RequestHold()
    public let requests = RequestCounter()
    public let webhooks: WebhookDispatcher
    let inbox = RequestInbox()

    /// - Parameters:
    ///   - providers: built with the same `webhooks` dispatcher, so their admin changes fire webhooks.
    public init(configuration: SandboxConfiguration, providers: [any SandboxProvider], webhooks: WebhookDispatcher) {
        self.configuration = configuration
        self.providers = providers
        self.webhooks = webhooks
    }

    /// The standard set of providers, sharing one dispatcher.
    public init(configuration: SandboxConfiguration) {
        let webhooks = WebhookDispatcher()
        self.init(configuration: configuration, providers: StandardProviders.make(configuration, webhooks: webhooks), webhooks: webhooks)
    }

    public func buildRouter() -> Router<SandboxContext> {
        let router = Router(context: SandboxContext.self)
        let byID = Dictionary(uniqueKeysWithValues: providers.map { ($0.id, $0) })
        router.add(middleware: FaultMiddleware(providers: byID, faults: faults, holds: holds, requests: requests))
        for provider in providers {
            provider.addRoutes(to: router.group(RouterPath(provider.id)))
        }
        AdminRoutes(providers: byID, faults: faults, holds: holds, requests: requests, webhooks: webhooks).add(to: router)
        router.get("_admin/health") { _, _ in "ok" }
        inbox.add(to: router)
        return router
    }

    public func buildApplication(logger: Logger = Logger(label: "provider-sandbox")) -> some ApplicationProtocol {
        Application(
            router: buildRouter(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "provider-sandbox"),
            logger: logger
        )
    }
}
