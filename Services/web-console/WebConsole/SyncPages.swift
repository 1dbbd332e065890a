import Foundation
import HubCore
import Hummingbird

/// Sync: each entity's configuration, "sync now", the job page whose progress updates without a
/// reload (a script polls `/console-api/jobs/{id}`; without scripts the page refreshes itself by
/// a link), and the runs so far.
struct SyncPages {
    let console: Console

    func add(to group: RouterGroup<HubRequestContext>) {
        group.get("/connections/:id/sync") { request, context in
            let session = try await console.session(request)
            let id = try pathID(context, "id")
            let base = "/api/v1/integrations/connections/\(id)"
            async let connectionReply = console.api.get(base, session: session, requestID: context.requestID)
            async let configsReply = console.api.get(base + "/sync-configs", session: session, requestID: context.requestID)
            async let jobsReply = console.api.get(base + "/sync/jobs?limit=25", session: session, requestID: context.requestID)
            let connection = try await connectionReply
            let provider = try await console.api.get(
                "/api/v1/integrations/providers/\(urlComponent(connection["provider"]?.stringValue ?? ""))",
                session: session,
                requestID: context.requestID
            )
            let configs = (try await configsReply)["data"]?.arrayValue ?? []
            let entities: [[String: Any]] = (provider["entities"]?.arrayValue ?? []).map { entity in
                let name = entity["name"]?.stringValue ?? ""
                let config = configs.first { $0["entity"]?.stringValue == name }
                return [
                    "name": name, "configured": config != nil,
                    "enabled": config?["enabled"]?.boolValue ?? false,
                    "direction": config?["direction"]?.stringValue ?? "pull",
                    "schedule": config?["schedule"]?.stringValue ?? config?["interval_seconds"].map { "every \($0.intValue ?? 0) s" } ?? "manual",
                    "conflict_policy": config?["conflict_policy"]?.stringValue ?? "—",
                    "mappings": config?["field_mappings"]?["rules"]?.arrayValue?.count ?? 0,
                ]
            }
            var values = try await ConnectionPages.summary(connection)
            values["tab_sync"] = true
            values["entities"] = entities
            if let entity = request.uri.queryParameters["confirm_resync"].map(String.init),
                entities.contains(where: { $0["name"] as? String == entity })
            {
                values["confirm_resync"] = entity
            }
            values["jobs"] = ((try await jobsReply)["data"]?.arrayValue ?? []).map { SyncJobView.row($0) }
            return console.page("sync", title: "Sync", section: "catalog", session: session, request: request, values: values)
        }
        group.get("/connections/:id/sync/:entity/settings") { request, context in
            let session = try await console.session(request)
            let id = try pathID(context, "id")
            let entity = try context.parameters.require("entity")
            return try await settingsPage(id: id, entity: entity, session: session, request: request, requestID: context.requestID)
        }
        group.post("/connections/:id/sync/:entity/settings") { request, context in
            let (session, form) = try await console.form(request, context: context)
            let id = try pathID(context, "id")
            let entity = try context.parameters.require("entity")
            let path = "/api/v1/integrations/connections/\(id)/sync-configs/\(urlComponent(entity))"
            // What the form does not edit (mappings, filters) is sent back as it is, so saving
            // the schedule never resets them.
            let current = try? await console.api.get(path, session: session, requestID: context.requestID)
            let body = SyncConfigBody.merged(
                current: current,
                changes: [
                    "enabled": .bool(form["enabled"] == "yes"),
                    "direction": .string(form["direction"] ?? "pull"),
                    "schedule": .string(form["schedule"] ?? "manual"),
                    "conflict_policy": .string(form["conflict_policy"] ?? "remote_wins"),
                    "interval_seconds": .number(Double(Int(form["interval_seconds"] ?? "") ?? 0)),
                ]
            )
            do {
                try await console.api.send(.PUT, path, json: body, session: session, requestID: context.requestID)
                return seeOther("/connections/\(id)/sync?notice=saved")
            } catch let failure as HubAPIFailure where failure.status < 500 {
                return try await settingsPage(
                    id: id,
                    entity: entity,
                    session: session,
                    request: request,
                    requestID: context.requestID,
                    entered: form,
                    error: failure.message
                )
            }
        }
        group.post("/connections/:id/sync") { request, context in
            let (session, form) = try await console.form(request, context: context)
            let id = try pathID(context, "id")
            let entity = form["entity"] ?? ""
            // Without JavaScript a full resync asks on the sync page first; the dialog sends confirmed=yes.
            if form["full_resync"] == "yes", form["confirmed"] != "yes" {
                return seeOther("/connections/\(id)/sync?confirm_resync=\(urlComponent(entity))#confirm-resync")
            }
            let reply = try await console.api.send(
                .POST,
                "/api/v1/integrations/connections/\(id)/sync",
                json: ["entity": .string(entity), "full_resync": .bool(form["full_resync"] == "yes")],
                session: session,
                requestID: context.requestID
            )
            guard let job = reply["data"]?.arrayValue?.first?["id"]?.stringValue ?? reply["id"]?.stringValue else {
                return seeOther("/connections/\(id)/sync?notice=sync_started")
            }
            return seeOther("/connections/\(id)/sync/jobs/\(urlComponent(job))")
        }
        group.get("/connections/:id/sync/jobs/:job") { request, context in
            let session = try await console.session(request)
            let id = try pathID(context, "id")
            let jobID = try pathID(context, "job")
            async let connectionReply = console.api.get("/api/v1/integrations/connections/\(id)", session: session, requestID: context.requestID)
            let job = try await console.api.get("/api/v1/integrations/sync/jobs/\(jobID)", session: session, requestID: context.requestID)
            // Another connection's job is not shown under this one.
            guard job["connection_id"]?.stringValue?.lowercased() == id else { throw ConsolePageError.notFound }
            var values = try await ConnectionPages.summary(try await connectionReply)
            values["tab_sync"] = true
            values["job"] = SyncJobView.row(job)
            values["job_id"] = jobID
            // Every problem the job recorded, 50 a page (the job itself holds only the first 20).
            let counts = job["counts"]
            if (counts?["errors"]?.intValue ?? 0) + (counts?["conflicts"]?.intValue ?? 0) > 0 {
                var path = "/api/v1/integrations/sync/jobs/\(jobID)/problems?limit=50"
                if let cursor = request.uri.queryParameters["problems_cursor"] { path += "&cursor=" + urlComponent(String(cursor)) }
                let page = try await console.api.get(path, session: session, requestID: context.requestID)
                let problems = SyncJobView.problems(page)
                values["problems"] = problems
                values["has_problems"] = !problems.isEmpty
                if let next = page["next_cursor"]?.stringValue {
                    values["problems_next_href"] = "/connections/\(id)/sync/jobs/\(jobID)?problems_cursor=\(urlComponent(next))#problems"
                }
            }
            return console.page("sync-job", title: "Sync job", section: "catalog", session: session, request: request, values: values)
        }
        group.post("/connections/:id/sync/jobs/:job/cancel") { request, context in
            let (session, _) = try await console.form(request, context: context)
            let id = try pathID(context, "id")
            let jobID = try pathID(context, "job")
            try await console.api.send(.POST, "/api/v1/integrations/sync/jobs/\(jobID)/cancel", session: session, requestID: context.requestID)
            return seeOther("/connections/\(id)/sync/jobs/\(jobID)")
        }
        // The job's progress as a small JSON document, for the job page's script.
        group.get("/console-api/jobs/:job") { request, context in
            let session = try await console.session(request)
            let jobID = try pathID(context, "job")
            let job = try await console.api.get("/api/v1/integrations/sync/jobs/\(jobID)", session: session, requestID: context.requestID)
            let progress = SyncJobView.progress(job)
            return Response(
                status: .ok,
                headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: progress.encoded()))
            )
        }
    }

    /// One entity's sync settings as a form; after a refusal it shows what was entered and why.
    func settingsPage(
        id: String,
        entity: String,
        session: ConsoleSession,
        request: Request,
        requestID: String,
        entered: FormBody? = nil,
        error: String? = nil
    ) async throws -> Response {
        async let connectionReply = console.api.get("/api/v1/integrations/connections/\(id)", session: session, requestID: requestID)
        let config = try? await console.api.get(
            "/api/v1/integrations/connections/\(id)/sync-configs/\(urlComponent(entity))",
            session: session,
            requestID: requestID
        )
        func value(_ name: String, _ fallback: String) -> String {
            entered?[name] ?? config?[name]?.stringValue ?? fallback
        }
        func options(_ name: String, _ choices: [(String, String)], _ fallback: String) -> [[String: Any]] {
            let chosen = value(name, fallback)
            return choices.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == chosen] }
        }
        let connection = try await connectionReply
        try await console.requireEntity(entity, of: connection, session: session, requestID: requestID)
        var values = try await ConnectionPages.summary(connection)
        values["tab_sync"] = true
        values["entity"] = entity
        values["enabled"] = entered.map { $0["enabled"] == "yes" } ?? config?["enabled"]?.boolValue ?? false
        values["directions"] = options(
            "direction",
            [("pull", "Pull from the provider"), ("push", "Push to the provider"), ("bidirectional", "Both ways")],
            "pull"
        )
        values["schedules"] = options(
            "schedule",
            [
                ("manual", "Manual only"), ("hourly", "Hourly"), ("daily", "Daily"), ("realtime", "Real time (webhooks)"),
                ("interval", "Every N seconds"),
            ],
            "manual"
        )
        values["policies"] = options(
            "conflict_policy",
            [("remote_wins", "The provider wins"), ("local_wins", "LogiAccounting wins"), ("newest_wins", "The newest change wins")],
            "remote_wins"
        )
        values["interval_seconds"] = entered?["interval_seconds"] ?? config?["interval_seconds"]?.intValue.map(String.init) ?? ""
        values["mappings"] = config?["field_mappings"]?["rules"]?.arrayValue?.count ?? 0
        if let error { values["error"] = error }
        return console.page(
            "sync-settings",
            title: "Sync settings: \(entity)",
            section: "catalog",
            session: session,
            request: request,
            values: values,
            status: error == nil ? .ok : .unprocessableContent
        )
    }
}
