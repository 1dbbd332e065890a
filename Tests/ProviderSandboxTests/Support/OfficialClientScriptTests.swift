import Foundation
import XCTest

final class OfficialClientScriptTests: XCTestCase {
    /// More than a pipe holds on both streams: read while the process runs, nothing blocks.
    func testLargeOutputOnBothStreamsDoesNotBlock() async throws {
        let script = "import sys; sys.stdout.write('o' * 300000); sys.stderr.write('e' * 200000)"
        let (status, stdout, stderr) = try await OfficialClientScript.execute(["python3", "-c", script])
        XCTAssertEqual(status, 0)
        XCTAssertEqual(stdout.count, 300_000)
        XCTAssertEqual(stderr.count, 200_000)
    }
}
