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
        let taken = try await jobsTakenOver(token, jobs: [(connection, entity)], afterPages: pages)
        return (taken.midway[0], taken.storedAtKill[0], taken.done[0], taken.output)
    }

    /// Jobs triggered together (one per connection and entity) for a worker process that is sent
    /// `signal` (SIGKILL unless said) once the first job has saved `pages` pages, then finished by
    /// a second worker process: each job as the signal left it, each entity's rows stored by then,
    /// each finished job, the second worker's output, and how the first exited and how long it
    /// took to, from the signal.
    func jobsTakenOver(
        _ token: String,
        jobs: [(connection: String, entity: String)],
        afterPages pages: Int,
        signal: Int32 = SIGKILL,
        timeout: Duration = .seconds(90)
    ) async throws -> (
        midway: [JSONValue], storedAtKill: [Int], done: [JSONValue], output: String, firstExit: (status: Int32, after: Duration)
    ) {
        let first = try workerProcess()
        try first.start()
        defer { first.kill() }
        var ids: [String] = []
        for (connection, entity) in jobs {
            let job = try await trigger(token, connection: connection, json: #"{"entity":"\#(entity)"}"#)
            ids.append(try XCTUnwrap(job["id"]?.stringValue))
        }
        _ = try await waitForPages(token, ids[0], atLeast: pages)
        let signalled = ContinuousClock.now
        Foundation.kill(first.process.processIdentifier, signal)
        let status = await first.wait()
        let firstExit = (status, ContinuousClock.now - signalled)
        var midway: [JSONValue] = []
        var stored: [Int] = []
        for (id, job) in zip(ids, jobs) {
            midway.append(try await request(.get, "/api/v1/integrations/sync/jobs/\(id)", token: token).json)
            stored.append(try await rowCount(connection: job.connection, entity: job.entity))
        }

        let second = try workerProcess()
        try second.start()
        defer { second.kill() }
        var done: [JSONValue] = []
        for id in ids { done.append(try await waitForJob(token, id, timeout: timeout)) }
        return (midway, stored, done, String(second.outputText.suffix(3000)), firstExit)
    }
}
