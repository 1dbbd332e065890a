import Foundation
import HubCore
import HubTestSupport
import XCTest

extension SyncHarness {
    /// A job of `entity` started by a worker process that is SIGKILLed once `pages` pages are
    /// saved, then finished by a second worker process: the job as the kill left it, the rows
    /// stored by then, and the finished job with the second worker's output.
    func jobTakenOverAfterKill(
        _ token: String,
        connection: String,
        entity: String,
        afterPages pages: Int
    ) async throws -> (midway: JSONValue, storedAtKill: Int, done: JSONValue, output: String) {
        let first = try workerProcess()
        try first.start()
        defer { first.kill() }
        let job = try await trigger(token, connection: connection, json: #"{"entity":"\#(entity)"}"#)
        let id = try XCTUnwrap(job["id"]?.stringValue)
        _ = try await waitForPages(token, id, atLeast: pages)
        first.kill()
        _ = await first.wait()
        let midway = try await request(.get, "/api/v1/integrations/sync/jobs/\(id)", token: token).json
        let stored = try await rowCount(connection: connection, entity: entity)

        let second = try workerProcess()
        try second.start()
        defer { second.kill() }
        let done = try await waitForJob(token, id, timeout: .seconds(90))
        return (midway, stored, done, String(second.outputText.suffix(3000)))
    }
}
