import HubCore
import Testing

@testable import WebConsole

/// A form that edits part of a sync configuration sends the rest back as it is.
@Suite struct SyncConfigBodyTests {
    static let current: JSONValue = [
        "id": "x", "entity": "customers", "enabled": true, "direction": "bidirectional", "schedule": "interval", "interval_seconds": 900,
        "conflict_policy": "newest_wins", "filters": ["status": "active"], "field_mappings": ["rules": [["target": "name", "source": "n"]]],
        "next_run_at": "2026-12-04T21:00:00Z",
    ]

    @Test func savingTheMappingsKeepsTheSchedule() {
        let body = SyncConfigBody.merged(current: Self.current, changes: ["field_mappings": ["rules": []]])
        #expect(
            body == [
                "enabled": true, "direction": "bidirectional", "schedule": "interval", "interval_seconds": 900,
                "conflict_policy": "newest_wins", "filters": ["status": "active"], "field_mappings": ["rules": []],
            ]
        )
    }

    @Test func savingTheScheduleKeepsTheMappingsAndSendsAnIntervalOnlyWithItsSchedule() {
        let body = SyncConfigBody.merged(current: Self.current, changes: ["schedule": "daily", "interval_seconds": 0])
        #expect(body["interval_seconds"] == nil)
        #expect(body["field_mappings"] == Self.current["field_mappings"])
        #expect(body["filters"] == ["status": "active"])
        let fresh = SyncConfigBody.merged(current: nil, changes: ["field_mappings": ["rules": []]])
        #expect(
            fresh == ["enabled": false, "direction": "pull", "schedule": "manual", "conflict_policy": "remote_wins", "field_mappings": ["rules": []]]
        )
    }
}
