import Foundation
import HubCore

/// A sync job as the sync pages show it: the API's fields plus what a person reads — whether it
/// is still running, who started it, how long it took, the counts flattened for the template,
/// the first errors, and the provider's rate-limit waits (how many, how long in all, and until
/// when the current one lasts while it lasts).
enum SyncJobView {
    static func finished(_ job: JSONValue) -> Bool {
        ["completed", "failed", "cancelled"].contains(job["status"]?.stringValue ?? "")
    }

    static func row(_ job: JSONValue, now: Date = Date()) -> [String: Any] {
        var row = job.fields
        let finished = finished(job)
        row["finished"] = finished
        row["running"] = !finished
        row["failed"] = job["status"]?.stringValue == "failed"
        for key in ["created", "updated", "deleted", "errors", "skipped", "conflicts"] {
            row["count_" + key] = job["counts"]?[key]?.intValue ?? 0
        }
        row["who"] = who(job)
        if let duration = duration(job, now: now) { row["duration"] = duration }
        // Only what is there: an empty string would still open a Mustache section.
        let samples = (job["error_samples"]?.arrayValue ?? []).map { sample -> [String: Any] in
            var shown: [String: Any] = ["message": sample["message"]?.stringValue ?? ""]
            for key in ["external_id", "kind"] {
                if let text = sample[key]?.stringValue, !text.isEmpty { shown[key] = text }
            }
            return shown
        }
        row["error_samples"] = samples
        row["has_error_samples"] = !samples.isEmpty
        row["error_sample_count"] = samples.count
        row["rate_limit_waits"] = job["rate_limit_waits"]?.intValue ?? 0
        row["rate_limited"] = (job["rate_limit_waits"]?.intValue ?? 0) > 0
        row["rate_limited_total"] = seconds(milliseconds: job["rate_limited_ms"]?.intValue ?? 0)
        if let until = waitingUntil(job, now: now) {
            row["waiting"] = true
            row["waiting_until"] = until.iso
            row["waiting_until_clock"] = until.clock
        }
        return row
    }

    /// A page of the job's problems (`GET …/sync/jobs/{job}/problems`) as the job page lists them;
    /// only what is there, as for the samples.
    static func problems(_ page: JSONValue) -> [[String: Any]] {
        (page["data"]?.arrayValue ?? []).map { problem in
            var row = problem.fields
            if problem["external_id"]?.stringValue?.isEmpty != false { row["external_id"] = nil }
            row["conflict"] = problem["kind"]?.stringValue == "conflict"
            if let at = problem["at"]?.stringValue { row["at_human"] = JSONValue.humanTime(at) ?? at }
            return row
        }
    }

    /// The job's progress for the job page's script: the same facts the page renders.
    static func progress(_ job: JSONValue, now: Date = Date()) -> JSONValue {
        let waiting = waitingUntil(job, now: now)
        return [
            "status": job["status"] ?? .null, "pages": job["pages"] ?? .null, "records_seen": job["records_seen"] ?? .null,
            "counts": job["counts"] ?? .null, "finished": .bool(finished(job)),
            "rate_limit_waits": .number(Double(job["rate_limit_waits"]?.intValue ?? 0)),
            "rate_limited_total": .string(seconds(milliseconds: job["rate_limited_ms"]?.intValue ?? 0)),
            "waiting_until": waiting.map { .string($0.iso) } ?? .null,
            "waiting_until_clock": waiting.map { .string($0.clock) } ?? .null,
        ]
    }

    /// Who started the job: the API caller it records, else what its trigger says.
    static func who(_ job: JSONValue) -> String {
        if let subject = job["started_by"]?.stringValue, !subject.isEmpty { return subject }
        switch job["trigger"]?.stringValue {
        case "schedule": return "the schedule"
        case "webhook": return "a provider webhook"
        default: return "—"
        }
    }

    /// From start to finish (or to now while it runs): "850 ms", "42.3 s", "3 min 5 s".
    static func duration(_ job: JSONValue, now: Date) -> String? {
        guard let startedText = job["started_at"]?.stringValue, let started = JSONValue.date(startedText) else { return nil }
        let end = job["finished_at"]?.stringValue.flatMap(JSONValue.date) ?? now
        let milliseconds = Int((end.timeIntervalSince(started) * 1000).rounded())
        if milliseconds < 1_000 { return "\(max(milliseconds, 0)) ms" }
        if milliseconds < 60_000 { return seconds(milliseconds: milliseconds) }
        let totalSeconds = milliseconds / 1_000
        if totalSeconds < 3_600 { return "\(totalSeconds / 60) min \(totalSeconds % 60) s" }
        return "\(totalSeconds / 3_600) h \(totalSeconds % 3_600 / 60) min"
    }

    /// When a running job's current rate-limit wait ends, if it has not ended yet.
    static func waitingUntil(_ job: JSONValue, now: Date) -> (iso: String, clock: String)? {
        guard !finished(job), let text = job["rate_limited_until"]?.stringValue, let until = JSONValue.date(text), until > now else {
            return nil
        }
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = .gmt
        let parts = utc.dateComponents([.hour, .minute, .second], from: until)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return (text, "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) UTC")
    }

    /// 3400 ms as "3.4 s"; waits are a quarter second or longer, so tenths are enough.
    static func seconds(milliseconds: Int) -> String {
        String(format: "%.1f s", Double(milliseconds) / 1000)
    }
}
