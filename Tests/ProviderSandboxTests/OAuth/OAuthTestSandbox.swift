import AsyncHTTPClient
import Foundation
import HummingbirdTesting
import NIOCore
import ProviderSandbox
import Testing

/// One HTTP answer, read whole.
struct HTTPResult: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The body as a JSON object (fails the test otherwise).
    func object(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        try #require(
            try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            "not a JSON object: \(text)",
            sourceLocation: sourceLocation
        )
    }

    /// The query of the `Location` header, decoded.
    func redirectQuery(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: String] {
        let location = try #require(header("location"), "no Location in \(status) \(text)", sourceLocation: sourceLocation)
        let items = try #require(URLComponents(string: location)?.queryItems, "no query in \(location)", sourceLocation: sourceLocation)
        return Dictionary(items.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
    }
}

/// A live sandbox with the seven authorization servers (Shopify's mounted alone), and a client
/// that does not follow redirects so tests can read each `Location`.
struct OAuthTestSandbox: Sendable {
    let base: String
    let http: HTTPClient
    let oauth: OAuthServers
    let configuration: SandboxConfiguration

    /// The loopback redirect URI tests register nowhere: any port is accepted.
    static let redirectURI = "http://127.0.0.1:4567/callback"

    /// Runs `body` against a fresh sandbox on a free port.
    /// - Parameter mountShopify: the provider mounted at `/shopify` (Shopify's OAuth alone by default).
    static func run(
        shopifyTokens: ShopifyTokenRegistry? = nil,
        mountShopify: (SandboxConfiguration, OAuthServers) -> any SandboxProvider = { OAuthSandboxProvider($1.shopify) },
        _ body: @Sendable (OAuthTestSandbox) async throws -> Void
    ) async throws {
        let configuration = SandboxConfiguration()
        let oauth = OAuthServers(configuration: configuration, shopifyTokens: shopifyTokens)
        let providers = oauth.standaloneProviders + [mountShopify(configuration, oauth)]
        let sandbox = ProviderSandbox(configuration: configuration, providers: providers, webhooks: WebhookDispatcher())
        try await sandbox.buildApplication().test(.live) { client in
            let port = try #require(client.port)
            var clientConfiguration = HTTPClient.Configuration()
            clientConfiguration.redirectConfiguration = .disallow
            let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: clientConfiguration)
            let harness = OAuthTestSandbox(base: "http://localhost:\(port)", http: http, oauth: oauth, configuration: configuration)
            do {
                try await body(harness)
            } catch {
                try await http.shutdown()
                throw error
            }
            try await http.shutdown()
        }
    }

    // MARK: Requests

    enum Verb: String {
        case GET, POST, PUT, DELETE
    }

    func send(_ verb: Verb, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil) async throws -> HTTPResult {
        var request = HTTPClientRequest(url: path.hasPrefix("http") ? path : base + path)
        request.method = .init(rawValue: verb.rawValue)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await http.execute(request, timeout: .seconds(10))
        let buffer = try await response.body.collect(upTo: 1 << 20)
        return HTTPResult(
            status: Int(response.status.code),
            headers: response.headers.map { ($0.name, $0.value) },
            body: Array(buffer.readableBytesView)
        )
    }

    func get(_ path: String, query: [(String, String)] = [], headers: [(String, String)] = []) async throws -> HTTPResult {
        try await send(.GET, query.isEmpty ? path : path + "?" + Self.form(query), headers: headers)
    }

    func post(
        _ path: String,
        form: [(String, String)],
        basic: (String, String)? = nil,
        headers: [(String, String)] = []
    ) async throws -> HTTPResult {
        var headers = headers + [("Content-Type", "application/x-www-form-urlencoded")]
        if let basic { headers.append(("Authorization", Self.basic(basic.0, basic.1))) }
        return try await send(.POST, path, headers: headers, body: Array(Self.form(form).utf8))
    }

    func post(_ path: String, json: [String: Any], basic: (String, String)? = nil) async throws -> HTTPResult {
        var headers = [("Content-Type", "application/json")]
        if let basic { headers.append(("Authorization", Self.basic(basic.0, basic.1))) }
        return try await send(.POST, path, headers: headers, body: Array(try JSONSerialization.data(withJSONObject: json)))
    }

    /// `PUT /_admin/<provider>/oauth` with `settings`.
    func configure(_ provider: String, _ settings: [String: Any]) async throws {
        let result = try await send(
            .PUT,
            "/_admin/\(provider)/oauth",
            headers: [("Content-Type", "application/json")],
            body: Array(try JSONSerialization.data(withJSONObject: settings))
        )
        #expect(result.status == 200, "settings refused: \(result.text)")
    }

    /// `GET /_admin/<provider>/oauth/stats` as integers.
    func stats(_ provider: String) async throws -> [String: Int] {
        let object = try await get("/_admin/\(provider)/oauth/stats").object()
        return object.compactMapValues { $0 as? Int }
    }

    // MARK: Encoding

    static func form(_ pairs: [(String, String)]) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        func encode(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        return pairs.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    static func basic(_ id: String, _ secret: String) -> String {
        "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString()
    }

    /// A fresh PKCE verifier and its S256 challenge, computed here independently of the sandbox.
    static func pkcePair() -> (verifier: String, challenge: String) {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let verifier = String((0..<64).map { _ in alphabet.randomElement() ?? "a" })
        return (verifier, OAuthTestCrypto.s256(verifier))
    }
}
