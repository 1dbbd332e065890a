import HubConnectors
import HubCore
import XCTest

extension XCTestCase {
    /// `payload` mapped by `connector`'s default for `entity`, failing the test on any mapping error.
    func mappedByDefault(
        _ connector: any DataConnector.Type,
        _ entity: String,
        _ payload: JSONValue,
        file: StaticString = #filePath,
        line: UInt = #line
    ) throws -> JSONValue {
        let mapping = try XCTUnwrap(connector.defaultFieldMappings[entity], entity, file: file, line: line)
        let result = mapping.map(payload)
        XCTAssertEqual(result.errors, [], file: file, line: line)
        return result.canonical
    }
}
