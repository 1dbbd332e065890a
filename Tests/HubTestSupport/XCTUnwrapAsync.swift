import XCTest

/// `XCTUnwrap` for an optional produced by an async call.
public func XCTUnwrapAsync<T>(
    _ value: @autoclosure () async throws -> T?,
    file: StaticString = #filePath,
    line: UInt = #line
) async throws -> T {
    let resolved = try await value()
    return try XCTUnwrap(resolved, file: file, line: line)
}
