import Foundation
import HubCore

extension JSONValue {
    /// Parses a JSON text written in a test, so fixtures read like the provider's wire format.
    static func parse(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            preconditionFailure("fixture is not JSON: \(error)")
        }
    }
}
