import Foundation
import Hummingbird

/// Small response builders the authorization servers share: JSON bodies in the providers' varied
/// shapes (so `[String: Any]` rather than one Codable type per shape), and redirects back to the
/// client with query parameters appended.
enum OAuthHTTP {
    /// A JSON response; `nil` values are written as `null`. Keys are sorted so bodies are stable.
    static func json(_ object: Any, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Header fields from name–value pairs; names that are not valid field names are skipped.
    static func headers(_ pairs: [(String, String)]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in pairs {
            if let name = HTTPFields.Element.Name(name) { fields[name] = value }
        }
        return fields
    }

    /// An empty response with `status`.
    static func empty(_ status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentLength: "0"])
    }

    /// `302 Found` to `uri` with `parameters` added to its query.
    static func redirect(to uri: String, adding parameters: [(String, String)]) -> Response {
        let separator = uri.contains("?") ? "&" : "?"
        let location = parameters.isEmpty ? uri : uri + separator + FormParameters.encode(parameters)
        return Response(status: .found, headers: [.location: location, .contentLength: "0"])
    }

    /// The base URL the request reached the sandbox at, for URLs the provider hands out
    /// (Salesforce's `instance_url`): `http://<Host header>/<provider>`.
    static func baseURL(of request: Request, provider: String) -> String {
        let host = request.head.authority ?? "127.0.0.1"
        return "http://\(host)/\(provider)"
    }

    /// ISO 8601 with fractional seconds, as Xero and Intuit write instants.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
