import Foundation
import HubCore
import HubTestSupport
import XCTest

extension SyncHarness {
    /// A job of `entity` started by a worker process that is SIGKILLed once `pages` pages are
    /// saved, then finished by a second worker process: the job as the kill left it, the rows
    /// stored by then, and the finished job with the second worker's output. `holding`: as for
    /// `jobsTakenOver`.
    func jobTakenOverAfterKill(
        _ token: String,
        connection: String,
        entity: String,
        afterPages pages: Int,
        holding provider: String? = nil
    ) async throws -> (midway: JSONValue, storedAtKill: Int, done: JSONValue, output: String) {
        let taken = try await jobsTakenOver(token, jobs: [(connection, entity)], afterPages: pages, holding: provider)
        return (taken.midway[0], taken.storedAtKill[0], taken.done[0], taken.output)
    }

    /// Jobs triggered together (one per connection and entity) for a worker process that is sent
    /// `signal` (SIGKILL unless said) once the first job has saved `pages` pages, then finished by
    /// a second worker process: each job as the signal left it, each entity's rows stored by then,
    /// each finished job, the second worker's output, and how the first exited and how long it
    /// took to, from the signal.
    ///
    /// `holding` names the provider of a single job that lists a page a request (not PayPal's
    /// payments, which search window after window): the sandbox holds its requests after
    /// `pages` + 2 requests (token calls and retries count too), and the signal is sent once one
    /// waits there and a page is saved, so it lands mid-job however long the test stalls (without
    /// the hold, a stall of a second between seeing the pages and signalling could let the job
    /// run to its end). Released once the first worker has exited (SIGKILLed after 30 s).
    func jobsTakenOver(
        _ token: String,
        jobs: [(connection: String, entity: String)],
        afterPages pages: Int,
        signal: Int32 = SIGKILL,
        holding provider: String? = nil,
        timeout: Duration = .seconds(90)
    ) async throws -> (
        midway: [JSONValue], storedAtKill: [Int], done: [JSONValue], output: String, firstExit: (status: Int32, after: Duration)
    ) {
        precondition(provider == nil || jobs.count == 1, "a hold counts every request to the provider: one job only")
        let (ids, firstExit) = try await holdingRequests(of: provider, after: pages + 2) {
            let first = try workerProcess()
            try first.start()
            defer { first.kill() }
            var ids: [String] = []
            for (connection, entity) in jobs {
                let job = try await trigger(token, connection: connection, json: #"{"entity":"\#(entity)"}"#)
                ids.append(try XCTUnwrap(job["id"]?.stringValue))
            }
            if let provider {
                try await waitForHeldRequest(provider)
                _ = try await waitForPages(token, ids[0], atLeast: 1)
            } else {
                _ = try await waitForPages(token, ids[0], atLeast: pages)
            }
            let signalled = ContinuousClock.now
            Foundation.kill(first.process.processIdentifier, signal)
            // Bounded: a worker that never stopped would otherwise hang the test, not fail it.
            let status = try await first.wait(upTo: .seconds(30))
            return (ids, (status, ContinuousClock.now - signalled))
        }
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

    /// Runs `body` while the sandbox holds `provider`'s requests after the next `after` (nothing
    /// held when `provider` is nil), and releases them once it is done, for the next worker. A
    /// failed `body` leaves them held: the sandbox's shutdown ends them.
    func holdingRequests<T>(of provider: String?, after: Int, _ body: () async throws -> T) async throws -> T {
        guard let provider else { return try await body() }
        let hold = try await sandbox.send(.PUT, "/_admin/faults/\(provider)/hold", json: #"{"after":\#(after)}"#)
        guard hold.status == 200 else { throw Failure(description: "the sandbox did not hold \(provider): \(hold.text)") }
        let value = try await body()
        _ = try await sandbox.send(.DELETE, "/_admin/faults/\(provider)/hold")
        return value
    }

    /// Waits until a request to `provider` waits in the sandbox's hold.
    func waitForHeldRequest(_ provider: String, timeout: Duration = .seconds(60)) async throws {
        let held = try await waitUntil(upTo: timeout) {
            try await sandbox.send(.GET, "/_admin/faults/\(provider)/hold").json["held"]?.intValue ?? 0 > 0
        }
        guard held else { throw Failure(description: "no request to \(provider) was held within \(timeout)") }
    }
}
