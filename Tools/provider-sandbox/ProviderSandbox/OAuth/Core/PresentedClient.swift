import Foundation
import HubCore
import Hummingbird

/// The client credentials a token, revocation or client-credentials request carries: HTTP Basic
/// (`Authorization: Basic base64(id:secret)`) and/or `client_id` / `client_secret` in the body.
/// Providers differ in which they accept, so each route states its rule through `Accepted`.
struct PresentedClient: Sendable, Equatable {
    /// Where a provider accepts client credentials from.
    enum Accepted: Sendable {
        /// HTTP Basic only (QuickBooks, PayPal).
        case basic
        /// The body only (Salesforce, HubSpot, Shopify).
        case body
        /// Either (Xero, Slack); Basic wins when both are present.
        case basicOrBody
    }

    var id: String?
    var secret: String?
    var viaBasic: Bool

    /// Reads the credentials a request presents under `accepted`.
    init(request: Request, parameters: FormParameters, accepted: Accepted) {
        let basic = Self.basic(request.headers[.authorization])
        switch accepted {
        case .basic:
            self.init(id: basic?.id, secret: basic?.secret, viaBasic: basic != nil)
        case .body:
            self.init(id: parameters.nonEmpty("client_id"), secret: parameters.nonEmpty("client_secret"), viaBasic: false)
        case .basicOrBody:
            if let basic {
                self.init(id: basic.id, secret: basic.secret, viaBasic: true)
            } else {
                self.init(id: parameters.nonEmpty("client_id"), secret: parameters.nonEmpty("client_secret"), viaBasic: false)
            }
        }
    }

    init(id: String?, secret: String?, viaBasic: Bool) {
        self.id = id
        self.secret = secret
        self.viaBasic = viaBasic
    }

    /// Decodes `Basic base64(id:secret)`; the id and secret are percent-decoded as RFC 6749 §2.3.1 asks.
    static func basic(_ header: String?) -> (id: String, secret: String)? {
        guard let header, header.lowercased().hasPrefix("basic ") else { return nil }
        let encoded = header.dropFirst("basic ".count).trimmingWhitespace()
        guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8),
            let colon = text.firstIndex(of: ":")
        else { return nil }
        let id = String(text[..<colon])
        let secret = String(text[text.index(after: colon)...])
        return (id.removingPercentEncoding ?? id, secret.removingPercentEncoding ?? secret)
    }

    /// The bearer token of `Authorization: Bearer …`, if any.
    static func bearer(_ request: Request) -> String? {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else { return nil }
        let token = header.dropFirst("bearer ".count).trimmingWhitespace()
        return token.isEmpty ? nil : token
    }
}
