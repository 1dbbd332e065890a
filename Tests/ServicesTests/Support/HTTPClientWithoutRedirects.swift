import AsyncHTTPClient

/// An HTTP client that reports redirects instead of following them (OAuth authorize steps).
final class HTTPClientWithoutRedirects: Sendable {
    static let shared = HTTPClientWithoutRedirects()

    let client = HTTPClient(configuration: .init(redirectConfiguration: .disallow))

    struct NoRedirect: Error, CustomStringConvertible {
        var status: UInt
        var description: String { "expected a redirect, got HTTP \(status)" }
    }

    /// The `Location` of a redirect answer to GET `url`.
    func location(of url: String) async throws -> String {
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        guard (300..<400).contains(response.status.code), let location = response.headers.first(name: "Location") else {
            throw NoRedirect(status: response.status.code)
        }
        return location
    }
}
