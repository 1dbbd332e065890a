import Hummingbird
import NIOCore

/// Applies the fault injector's decision to every request under a provider's mount
/// (`/<provider>/…`) before the emulated API sees it, after any hold (`RequestHold`), and
/// counts requests per provider.
struct FaultMiddleware: RouterMiddleware {
    typealias Context = SandboxContext
    let providers: [String: any SandboxProvider]
    let faults: FaultInjector
    let holds: RequestHold
    let requests: RequestCounter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let first = request.uri.path.split(separator: "/").first, let provider = providers[String(first)] else {
            return try await next(request, context)
        }
        requests.record(provider.id, call: "\(request.method) \(request.uri.path)")
        try await holds.pass(for: provider.id)
        let (decision, latency) = faults.decide(for: provider.id)
        if latency > .zero { try await Task.sleep(for: latency) }
        switch decision {
        case .pass:
            return try await next(request, context)
        case .fault(let fault):
            return provider.faultResponse(fault)
        case .drop:
            context.channel.close(promise: nil)
            throw DroppedConnection()
        case .dropAnswer:
            // The request takes effect (a write is saved), then the answer is lost: the client
            // cannot tell whether it happened and must retry safely.
            _ = try await next(request, context)
            context.channel.close(promise: nil)
            throw DroppedConnection()
        }
    }
}

/// Thrown after closing the channel for a dropped-connection fault; nothing is written.
struct DroppedConnection: Error {}
