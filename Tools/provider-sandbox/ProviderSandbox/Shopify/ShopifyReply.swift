import HTTPTypes
import HubCore
import Hummingbird

/// A successful Admin API answer: a status, a JSON object body and extra headers (`Link`).
struct ShopifyReply: Sendable {
    var status: HTTPResponse.Status
    var body: JSONObject
    var headers: HTTPFields = [:]

    static func ok(_ body: JSONObject) -> ShopifyReply {
        ShopifyReply(status: .ok, body: body)
    }

    func response() -> Response {
        JSONBody.response(JSONValue.object(body).encoded(), status: status, contentType: "application/json; charset=utf-8", headers: headers)
    }
}

extension ShopifyReply {
    /// Renders `value` instead of `body` (admin answers that are not Shopify objects).
    func response(encoding value: some Encodable) -> Response {
        JSONBody.response(JSONBody.encode(value), status: status)
    }
}
