import Foundation
import HTTPTypes
import Hummingbird

/// `/healthz`, `/readyz`, `/metrics` and `/openapi.json`: unauthenticated, for probes, scrapers
/// and API clients. `/readyz` and `/metrics` tell how the process is doing, which is for the
/// operator alone: a request that came through a proxy (the front door, an Ingress: it carries
/// `X-Forwarded-For`) gets the 404 of a route that does not exist, so a catch-all route to the
/// console never publishes them. Probes and scrapers call the process directly.
struct OperationalRoutes {
    let readiness: Readiness
    let openAPI: OpenAPIDocument

    func add(to router: Router<HubRequestContext>) {
        router.get("healthz") { _, _ in
            Self.json(#"{"status":"ok"}"#)
        }
        router.get("readyz") { request, _ in
            try Self.requireDirect(request)
            let report = await readiness.check()
            let body = try JSONEncoder.hub.encode(report)
            return Response(
                status: report.ready ? .ok : .serviceUnavailable,
                headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: body))
            )
        }
        router.get("metrics") { request, _ in
            try Self.requireDirect(request)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: HubMetrics.render()))
            )
        }
        router.get("openapi.json") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: openAPI.bytes))
            )
        }
    }

    /// Refuses a request a proxy passed on, as a route that does not exist.
    static func requireDirect(_ request: Request) throws {
        guard request.headers[.forwardedFor] == nil else { throw HTTPError(.notFound) }
    }

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}

extension HTTPField.Name {
    /// The client chain a proxy adds (`X-Forwarded-For`).
    public static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
}
