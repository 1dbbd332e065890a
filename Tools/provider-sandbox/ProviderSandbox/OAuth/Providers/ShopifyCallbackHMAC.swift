import Crypto
import Foundation

/// Shopify's signature of the query parameters it sends an app (the OAuth callback, installation
/// requests, app proxy-free admin links): drop `hmac`, sort the rest by name, join as `name=value`
/// with `&`, and take the hex HMAC-SHA256 with the app's client secret. In names and values `%`
/// and `&` are escaped (`%25`, `%26`), and `=` too in names, so the joined string is unambiguous.
public enum ShopifyCallbackHMAC {
    /// The hex signature of `parameters` (an `hmac` among them is ignored).
    public static func sign(_ parameters: [(String, String)], secret: String) -> String {
        var pairs: [(name: String, value: String)] = []
        for (name, value) in parameters where name != "hmac" {
            pairs.append((escape(name, isName: true), escape(value, isName: false)))
        }
        pairs.sort { left, right in left.name == right.name ? left.value < right.value : left.name < right.name }
        let message = pairs.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        let mac = HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `parameters` carry a valid `hmac`, compared in constant time.
    public static func verify(_ parameters: [(String, String)], secret: String) -> Bool {
        guard let given = parameters.first(where: { $0.0 == "hmac" })?.1 else { return false }
        let expected = Array(sign(parameters, secret: secret).utf8)
        let presented = Array(given.lowercased().utf8)
        guard expected.count == presented.count else { return false }
        return zip(expected, presented).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func escape(_ text: String, isName: Bool) -> String {
        var escaped = text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "&", with: "%26")
        if isName { escaped = escaped.replacingOccurrences(of: "=", with: "%3D") }
        return escaped
    }
}
