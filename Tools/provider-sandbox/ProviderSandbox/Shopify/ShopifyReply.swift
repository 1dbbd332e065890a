import HTTPTypes
import Hummingbird

/// A successful Admin API answer: a status, a JSON object body and extra headers (`Link`).
struct ShopifyReply: Sendable {
    var status: HTTPResponse.Status
    var body: ShopifyJSON.Object
    var headers: HTTPFields = [:]

    static func ok(_ body: ShopifyJSON.Object) -> ShopifyReply {
        ShopifyReply(status: .ok, body: body)
    }

    func response() -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: ShopifyJSON.serialize(ShopifyJSON.object(body)))))
    }
}

extension ShopifyReply {
    /// Renders `value` instead of `body` (admin answers that are not Shopify objects).
    func response(encoding value: some Encodable) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: ShopifyJSON.serialize(value))))
    }
}
