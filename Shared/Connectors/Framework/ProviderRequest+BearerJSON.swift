import HubCore
import NIOHTTP1

extension ProviderRequest {
    /// A REST call as most providers take one: the bearer token, `Accept: application/json`, the
    /// body written as JSON, `query` appended in the order given. Every connector that talks JSON
    /// with a bearer token builds its requests here; each keeps its own URL rules and error mapper.
    /// - Parameter isIdempotent: whether the transport may repeat the call (nil: reads only).
    public static func bearerJSON(
        _ method: HTTPMethod,
        url: String,
        query: [(String, String)] = [],
        token: String,
        headers extra: [(String, String)] = [],
        body: JSONValue? = nil,
        isIdempotent: Bool? = nil
    ) -> ProviderRequest {
        var headers: HTTPHeaders = ["Authorization": "Bearer \(token)", "Accept": "application/json"]
        for (name, value) in extra { headers.add(name: name, value: value) }
        var bytes: [UInt8]?
        if let body {
            headers.add(name: "Content-Type", value: "application/json")
            bytes = body.encoded()
        }
        return ProviderRequest(
            method: method,
            url: withQuery(url, query),
            headers: headers,
            body: bytes,
            isIdempotent: isIdempotent
        )
    }

    /// `url?a=1&b=two%20words`, or `url` alone when there is no query.
    public static func withQuery(_ url: String, _ query: [(String, String)]) -> String {
        query.isEmpty ? url : url + "?" + FormEncoding.pairs(query)
    }
}
