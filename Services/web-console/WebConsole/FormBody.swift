import Foundation
import HubCore
import Hummingbird
import NIOCore

/// An `application/x-www-form-urlencoded` body as name/value pairs. The console's forms are built
/// from data (a provider's credential fields), so a typed decoder does not fit every one.
struct FormBody: Sendable {
    var pairs: [(name: String, value: String)]

    init(pairs: [(name: String, value: String)]) {
        self.pairs = pairs
    }

    init(encoded: String) {
        pairs = encoded.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (Self.decode(parts[0]), parts.count > 1 ? Self.decode(parts[1]) : "")
        }
    }

    /// The most a console form may send; far above any of its forms, which hold a few fields.
    static let maxBytes = 256 * 1024

    static func read(_ request: Request, context: HubRequestContext) async throws -> FormBody {
        do {
            let buffer = try await request.body.collect(upTo: maxBytes)
            return FormBody(encoded: String(buffer: buffer))
        } catch is NIOTooManyBytesError {
            throw ConsolePageError.tooLarge
        }
    }

    static func decode(_ part: Substring) -> String {
        String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }

    subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    func all(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }
}
