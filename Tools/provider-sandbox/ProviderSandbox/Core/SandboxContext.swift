import Hummingbird
import NIOCore

/// The sandbox's request context: Hummingbird's own plus the connection's channel, which the
/// fault injector closes to emulate a dropped connection.
public struct SandboxContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// Provider APIs accept bigger bodies than the hub's own API (bulk writes in tests).
    public var maxUploadSize: Int { 16 << 20 }
}
