import AsyncHTTPClient
import Foundation
import HubCore
import NIOCore
import NIOHTTP1

/// How the console reads and writes: the services' public APIs over HTTP, as the signed-in
/// organization (its token in `Authorization`), exactly what an API client could do. The console
/// keeps no data of its own, so there is no second source of truth.
public struct HubAPI: Sendable {
    let httpClient: HTTPClient
    let baseURLs: [HubServiceKind: String]
    var timeout: Duration = .seconds(50)

    public init(httpClient: HTTPClient, baseURLs: [HubServiceKind: String]) {
        self.httpClient = httpClient
        self.baseURLs = baseURLs
    }

    /// The service that owns a public path: the front door's table (deploy/front-door/routes).
    static func service(for path: String) -> HubServiceKind {
        let prefix = "/api/v1/integrations/"
        let rest = path.hasPrefix(prefix) ? path.dropFirst(prefix.count) : Substring(path)
        if rest.hasPrefix("providers") || rest.hasPrefix("categories") { return .catalog }
        if rest.hasPrefix("oauth/") { return .oauth }
        if rest.hasPrefix("events") || rest.hasPrefix("webhooks/") { return .webhook }
        // Zapier's actions write records (connection-service); its keys, hooks and triggers are webhook-service's.
        if rest.hasPrefix("zapier/actions/") { return .connection }
        if rest.hasPrefix("zapier/") { return .webhook }
        return .connection
    }

    /// Sends one request; a reply of 400 or more is thrown as `HubAPIFailure` with the API's message.
    @discardableResult
    public func send(
        _ method: HTTPMethod,
        _ path: String,
        json body: JSONValue? = nil,
        session: ConsoleSession,
        requestID: String
    ) async throws -> JSONValue {
        let service = Self.service(for: path)
        guard let base = baseURLs[service] else { throw HubAPIFailure.unavailable(service.rawValue) }
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(session.token)")
        request.headers.add(name: "Accept", value: "application/json")
        if !requestID.isEmpty { request.headers.add(name: "X-Request-Id", value: requestID) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.encoded()))
        }
        let status: Int
        let bytes: ByteBuffer
        do {
            let response = try await httpClient.execute(request, timeout: .seconds(timeout.components.seconds))
            status = Int(response.status.code)
            bytes = try await response.body.collect(upTo: 8 << 20)
        } catch {
            throw HubAPIFailure.unavailable(service.rawValue)
        }
        let value = bytes.readableBytes == 0 ? JSONValue.null : (JSONReader.parse(Array(buffer: bytes)) ?? .null)
        guard status < 400 else {
            throw HubAPIFailure(
                status: status,
                code: value["error"]?["code"]?.stringValue ?? "error",
                message: value["error"]?["message"]?.stringValue ?? "the request failed (\(status))",
                field: value["error"]?["details"]?["field"]?.stringValue
            )
        }
        return value
    }

    public func get(_ path: String, session: ConsoleSession, requestID: String) async throws -> JSONValue {
        try await send(.GET, path, session: session, requestID: requestID)
    }
}

/// An API's refusal, as its error envelope said it: pages show the message beside the form.
public struct HubAPIFailure: Error, Sendable, Equatable {
    public var status: Int
    public var code: String
    public var message: String
    /// The request field the refusal names (`details.field` of the envelope), when it names one.
    public var field: String?

    public init(status: Int, code: String, message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    static func unavailable(_ service: String) -> HubAPIFailure {
        HubAPIFailure(status: 503, code: "unavailable", message: "\(service) cannot be reached right now; try again shortly")
    }
}

/// Percent-encoding for one path segment or query value taken from user input.
func urlComponent(_ value: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
}
