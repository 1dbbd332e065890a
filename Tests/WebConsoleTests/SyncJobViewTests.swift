import Foundation
import HubCore
import Testing

@testable import WebConsole

/// The sync pages' view of a job: rate-limit waits while they last and in the history.
@Suite struct SyncJobViewTests {
    static let now = Date(timeIntervalSince1970: 1_796_416_200)  // 2026-12-04 20:30:00 UTC

    static func job(status: String, until: String?, waits: Int = 2, milliseconds: Int = 3_400) -> JSONValue {
        .object(fields(status: status, until: until, waits: waits, milliseconds: milliseconds))
    }

    static func fields(status: String, until: String?, waits: Int = 2, milliseconds: Int = 3_400) -> [String: JSONValue] {
        [
            "id": "j1", "connection_id": "c1", "entity": "customers", "status": .string(status), "trigger": "manual", "pages": 3,
            "records_seen": 40, "counts": ["created": 40, "updated": 0, "deleted": 0, "errors": 0],
            "rate_limit_waits": .number(Double(waits)), "rate_limited_ms": .number(Double(milliseconds)),
            "rate_limited_until": until.map { .string($0) } ?? .null, "created_at": "2026-12-04T20:29:50Z",
        ]
    }

    @Test func aRunningJobHeldByTheRateLimitSaysUntilWhen() async throws {
        let job = Self.job(status: "running", until: "2026-12-04T20:30:04.250Z")
        let row = SyncJobView.row(job, now: Self.now)
        #expect(row["waiting"] as? Bool == true)
        #expect(row["waiting_until_clock"] as? String == "20:30:04 UTC")
        #expect(row["rate_limit_waits"] as? Int == 2)
        #expect(row["rate_limited_total"] as? String == "3.4 s")
        let progress = SyncJobView.progress(job, now: Self.now)
        #expect(progress["waiting_until_clock"]?.stringValue == "20:30:04 UTC")
        #expect(progress["rate_limit_waits"]?.intValue == 2)

        let renderer = try await PageRenderer.bundled()
        let html = renderer.html(
            "sync-job",
            ["title": "Sync job", "signed_in": true, "csrf": "t", "provider_name": "Stripe", "id": "c1", "job": row, "job_id": "j1"]
        )
        #expect(
            html.contains(
                "Waiting for Stripe's rate limit until <time id=\"job-waiting-until\" datetime=\"2026-12-04T20:30:04.250Z\">20:30:04 UTC</time>"
            )
        )
        #expect(html.contains("<p id=\"job-waiting\" class=\"waiting\">"), "the waiting line is shown, not hidden")
        #expect(html.contains("<dd data-field=\"rate_limit_waits\">2</dd>"))
    }

    @Test func aWaitThatEndedOrAFinishedJobIsNotWaiting() async throws {
        let ended = SyncJobView.row(Self.job(status: "running", until: "2026-12-04T20:29:59Z"), now: Self.now)
        #expect(ended["waiting"] == nil)
        let finished = SyncJobView.row(Self.job(status: "completed", until: "2026-12-04T20:31:00Z"), now: Self.now)
        #expect(finished["waiting"] == nil)
        #expect(finished["rate_limit_waits"] as? Int == 2)
        #expect(SyncJobView.progress(Self.job(status: "running", until: nil), now: Self.now)["waiting_until"] == .null)

        let renderer = try await PageRenderer.bundled()
        let html = renderer.html(
            "sync-job",
            ["title": "Sync job", "signed_in": true, "csrf": "t", "provider_name": "Stripe", "id": "c1", "job": finished, "job_id": "j1"]
        )
        #expect(html.contains("<p id=\"job-waiting\" class=\"waiting\" hidden>"))
    }

    @Test func historyRowsSayWhoHowLongAndTheFirstErrors() async throws {
        var job = Self.fields(status: "completed", until: nil, waits: 0, milliseconds: 0)
        job["started_by"] = "alice@example.com"
        job["started_at"] = "2026-12-04T20:29:50Z"
        job["finished_at"] = "2026-12-04T20:32:55.500Z"
        job["counts"] = ["created": 38, "updated": 0, "deleted": 0, "errors": 2]
        job["error_samples"] = [
            ["kind": "error", "external_id": "cus_<1>", "message": "email is not valid", "at": "2026-12-04T20:30:00Z"],
            ["kind": "error", "external_id": .null, "message": "a page could not be read"],
        ]
        let row = SyncJobView.row(.object(job), now: Self.now)
        #expect(row["who"] as? String == "alice@example.com")
        #expect(row["duration"] as? String == "3 min 5 s")
        #expect(row["error_sample_count"] as? Int == 2)
        #expect(SyncJobView.who(["trigger": "schedule"]) == "the schedule")
        #expect(SyncJobView.who(["trigger": "webhook", "started_by": .null]) == "a provider webhook")
        #expect(SyncJobView.duration(["started_at": "2026-12-04T20:29:59.2Z", "finished_at": "2026-12-04T20:29:59.9Z"], now: Self.now) == "700 ms")
        #expect(SyncJobView.duration(["status": "queued"], now: Self.now) == nil)

        let renderer = try await PageRenderer.bundled()
        let html = renderer.html(
            "sync",
            ["title": "Sync", "signed_in": true, "csrf": "t", "provider_name": "Stripe", "id": "c1", "jobs": [row], "entities": []]
        )
        #expect(html.contains("<td>alice@example.com</td>"))
        #expect(html.contains("<td>3 min 5 s</td>"))
        #expect(html.contains("<details class=\"samples\"><summary>First 2"))
        #expect(html.contains("<li><code>cus_&lt;1&gt;</code>: email is not valid <span class=\"muted\">(error)</span></li>"))
        #expect(html.contains("<li>a page could not be read <span class=\"muted\">(error)</span></li>"))
        let quiet = renderer.html(
            "sync",
            [
                "title": "Sync", "signed_in": true, "csrf": "t", "id": "c1",
                "jobs": [SyncJobView.row(Self.job(status: "completed", until: nil, waits: 0), now: Self.now)],
            ]
        )
        #expect(!quiet.contains("<details"), "no errors, nothing to expand")
        #expect(quiet.contains("<td>0</td>"))
    }

    /// The job page lists every problem of the job a page at a time, escaped, each with its kind.
    @Test func theJobPageListsTheJobsProblems() async throws {
        let page: JSONValue = [
            "data": [
                ["id": 7, "kind": "error", "external_id": "cus_<1>", "message": "email is not valid", "at": "2026-12-04T20:29:55Z"],
                ["id": 8, "kind": "conflict", "external_id": .null, "message": "both sides changed it", "at": "2026-12-04T20:29:56Z"],
            ],
            "next_cursor": "OA",
        ]
        let problems = SyncJobView.problems(page)
        #expect(problems.count == 2)
        #expect(problems[0]["at_human"] as? String == "4 Dec 2026, 20:29:55 UTC")
        #expect(problems[1]["external_id"] == nil, "no record named, no empty code element")

        let renderer = try await PageRenderer.bundled()
        let row = SyncJobView.row(Self.job(status: "completed", until: nil), now: Self.now)
        var values: [String: Any] = ["title": "Sync job", "signed_in": true, "csrf": "t", "id": "c1", "job": row, "job_id": "j1"]
        let without = renderer.html("sync-job", values)
        #expect(!without.contains("id=\"problems\""), "a job without problems shows no list")
        values["problems"] = problems
        values["has_problems"] = true
        values["problems_next_href"] = "/connections/c1/sync/jobs/j1?problems_cursor=OA#problems"
        let html = renderer.html("sync-job", values)
        #expect(html.contains("<td><code>cus_&lt;1&gt;</code></td><td>error</td><td>email is not valid</td>"))
        #expect(html.contains("<td></td><td>conflict</td><td>both sides changed it</td>"))
        #expect(html.contains("<time datetime=\"2026-12-04T20:29:55Z\">4 Dec 2026, 20:29:55 UTC</time>"))
        #expect(html.contains("href=\"/connections/c1/sync/jobs/j1?problems_cursor=OA#problems\">Next 50 problems</a>"))
    }
}
