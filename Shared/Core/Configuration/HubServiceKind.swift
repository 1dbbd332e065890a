/// The processes of the suite: five services and the web console. Each knows its own name (for logs and metrics) and the port it
/// listens on when `HUB_PORT` is not set, so that all five can run side by side locally.
public enum HubServiceKind: String, Sendable, CaseIterable {
    case catalog = "catalog-service"
    case connection = "connection-service"
    case oauth = "oauth-service"
    case syncWorker = "sync-worker"
    case webhook = "webhook-service"
    /// The browser's console: pages over the other services' APIs; no data of its own but sessions.
    case console = "web-console"

    public var defaultPort: Int {
        switch self {
        case .catalog: 8081
        case .connection: 8082
        case .oauth: 8083
        case .syncWorker: 8084
        case .webhook: 8085
        case .console: 8086
        }
    }
}
