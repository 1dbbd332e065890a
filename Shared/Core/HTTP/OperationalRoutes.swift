import Foundation
import Hummingbird

/// `/healthz`, `/readyz`, `/metrics` and `/openapi.json`: unauthenticated, for probes, scrapers
/// and API clients.
struct OperationalRoutes {
    let readiness: Readiness
    let openAPI: OpenAPIDocument

    func add(to router: Router<HubRequestContext>) {
        router.get("healthz") { _, _ in
            Self.json(#"{"status":"ok"}"#)
        }
        router.get("readyz") { _, _ in
            let report = await readiness.check()
            let body = try JSONEncoder.hub.encode(report)
            return Response(
                status: report.ready ? .ok : .serviceUnavailable,
                headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: body))
            )
        }
        router.get("metrics") { _, _ in
            Response(
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

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}
