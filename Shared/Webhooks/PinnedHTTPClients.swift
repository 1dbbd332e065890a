import AsyncHTTPClient
import NIOCore

/// HTTP clients that connect a host name to one checked address (AsyncHTTPClient's
/// `dnsOverride`, which keeps the name for TLS SNI and certificate checks), one per (host,
/// address) so connections are reused; never following redirects. Least recently used clients
/// are shut down past `capacity`, by `shutDownEvicted()` running in the dispatcher's task group.
actor PinnedHTTPClients {
    private var clients: [String: (client: HTTPClient, used: UInt64)] = [:]
    private let evicted: AsyncStream<HTTPClient>
    private let evictions: AsyncStream<HTTPClient>.Continuation
    private var clock: UInt64 = 0
    private let capacity: Int
    private let connectionsPerHost: Int
    private let timeout: TimeAmount

    init(capacity: Int = 256, connectionsPerHost: Int, timeout: TimeAmount) {
        self.capacity = capacity
        self.connectionsPerHost = connectionsPerHost
        self.timeout = timeout
        (evicted, evictions) = AsyncStream.makeStream()
    }

    func client(for target: WebhookTarget) -> HTTPClient {
        let key = "\(target.host)|\(target.address)"
        clock += 1
        if let entry = clients[key] {
            clients[key] = (entry.client, clock)
            return entry.client
        }
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: min(timeout, .seconds(10)), read: timeout),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost),
            decompression: .disabled
        )
        // A refused or failed connection is that attempt's failure, retried on the hub's own
        // schedule and logged as what it was; AsyncHTTPClient's default would retry the connection
        // quietly until the timeout, holding the slot and logging "timed out" for a closed port.
        configuration.connectionPool.retryConnectionEstablishment = false
        // No tracing: a delivery goes to another organization's endpoint, which has no business
        // with our trace context, and the span's attribute work is paid on every delivery even
        // with no tracer bootstrapped.
        configuration.tracing.tracer = nil
        if IPAddressRange.parse(target.host) == nil {
            configuration.dnsOverride = [target.host: target.address]
        }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        clients[key] = (client, clock)
        if clients.count > capacity, let oldest = clients.min(by: { $0.value.used < $1.value.used }) {
            clients[oldest.key] = nil
            evictions.yield(oldest.value.client)
        }
        return client
    }

    /// Shuts evicted clients down as they come, until `finishEvictions()`.
    nonisolated func shutDownEvicted() async {
        for await client in evicted { try? await client.shutdown() }
    }

    /// No more evictions will be shut down; `shutDownEvicted()` returns once it has done the last.
    nonisolated func finishEvictions() {
        evictions.finish()
    }

    func shutdown() async {
        for (_, entry) in clients { try? await entry.client.shutdown() }
        clients = [:]
    }
}
