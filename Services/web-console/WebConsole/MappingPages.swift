import Foundation
import HubCore
import Hummingbird

/// An entity's field-mapping rows, edited in a plain form (no script needed) and saved through
/// the sync configuration API (`PUT …/sync-configs/{entity}` with `field_mappings`); the API's
/// refusal is shown beside the row it names.
struct MappingPages {
    let console: Console

    func add(to group: RouterGroup<HubRequestContext>) {
        group.get("/connections/:id/sync/:entity/mappings") { request, context in
            let session = try await console.session(request)
            let id = try pathID(context, "id")
            let entity = try context.parameters.require("entity")
            let config = try? await console.api.get(configPath(id, entity), session: session, requestID: context.requestID)
            let editor = MappingEditor(mappings: config?["field_mappings"])
            return try await page(id: id, entity: entity, editor: editor, session: session, request: request, requestID: context.requestID)
        }
        group.post("/connections/:id/sync/:entity/mappings") { request, context in
            let (session, form) = try await console.form(request, context: context)
            let id = try pathID(context, "id")
            let entity = try context.parameters.require("entity")
            let path = configPath(id, entity)
            // This form edits the rows only; SyncConfigBody keeps the rest as it is.
            let current = try? await console.api.get(path, session: session, requestID: context.requestID)
            let editor = MappingEditor(form: form, kept: MappingEditor(mappings: current?["field_mappings"]).kept)
            let (rules, origin) = editor.rules()
            let body = SyncConfigBody.merged(current: current, changes: ["field_mappings": ["rules": .array(rules)]])
            do {
                try await console.api.send(.PUT, path, json: body, session: session, requestID: context.requestID)
                return seeOther("/connections/\(id)/sync/\(urlComponent(entity))/mappings?notice=saved")
            } catch let failure as HubAPIFailure where failure.status < 500 {
                return try await page(
                    id: id,
                    entity: entity,
                    editor: editor,
                    session: session,
                    request: request,
                    requestID: context.requestID,
                    failure: failure,
                    origin: origin
                )
            }
        }
    }

    func configPath(_ id: String, _ entity: String) -> String {
        "/api/v1/integrations/connections/\(id)/sync-configs/\(urlComponent(entity))"
    }

    func page(
        id: String,
        entity: String,
        editor: MappingEditor,
        session: ConsoleSession,
        request: Request,
        requestID: String,
        failure: HubAPIFailure? = nil,
        origin: [Int?] = []
    ) async throws -> Response {
        let connection = try await console.api.get("/api/v1/integrations/connections/\(id)", session: session, requestID: requestID)
        try await console.requireEntity(entity, of: connection, session: session, requestID: requestID)
        var values = try await ConnectionPages.summary(connection)
        values["tab_sync"] = true
        values["entity"] = entity
        values["kept"] = editor.kept.map { ["json": $0.prettyJSON] }
        var placed: (row: Int, column: String, message: String)?
        if let failure {
            let message = MappingEditor.shortMessage(failure.message)
            if let place = MappingEditor.place(of: failure.field, rows: origin) {
                placed = (place.row, place.column, message)
                values["error_link"] = "#row-\(place.row)-\(place.column)"
                values["error_row"] = place.row + 1
            }
            values["error"] = placed == nil ? failure.message : message
        }
        let rows = editor.templateRows(error: placed)
        values["rows"] = rows
        values["row_count"] = rows.count
        return console.page(
            "sync-mappings",
            title: "Field mappings: \(entity)",
            section: "catalog",
            session: session,
            request: request,
            values: values,
            status: failure == nil ? .ok : .unprocessableContent
        )
    }
}
