import Foundation
import HubCore
import Testing

@testable import WebConsole

/// The field-mapping rows: rules as rows and back, and the API's refusal pinned to its row.
@Suite struct MappingEditorTests {
    static let stored: JSONValue = [
        "rules": [
            ["target": "email", "source": "email_address", "transforms": [["type": "lower"]]],
            ["target": "lines", "source": "Line", "each": [["target": "amount", "source": "Amount"]]],
            ["target": "total", "source": "amount_due", "transforms": [["type": "minor_to_decimal", "exponent": 2]]],
            ["target": "currency", "source": "cur", "transforms": [["type": "upper"], ["type": "trim"]]],
        ]
    ]

    @Test func rulesARowCanShowBecomeRowsTheOthersAreKept() {
        let editor = MappingEditor(mappings: Self.stored)
        #expect(
            editor.rows == [
                .init(source: "email_address", target: "email", transform: "lower"),
                .init(source: "amount_due", target: "total", transform: "minor_to_decimal", parameter: "2"),
            ]
        )
        #expect(editor.kept.count == 2, "the `each` rule and the two-step rule are kept as they are")
        #expect(MappingEditor(mappings: nil).rows.isEmpty)
    }

    @Test(arguments: ["-1", "-9223372036854775808", "9223372036854775807", "x", ""])
    func aCraftedRowCountReadsNoMoreThanTheRowsAllowed(_ rows: String) {
        let form = FormBody(pairs: [("rows", rows), ("row-0-source", "email"), ("row-0-target", "email")])
        let editor = MappingEditor(form: form, kept: [])
        #expect(editor.rows.count == (rows.hasPrefix("9") ? 1 : 0))
    }

    @Test func submittedRowsBecomeRulesAfterTheKeptOnesAndErrorsFindTheirRow() throws {
        let form = FormBody(pairs: [
            ("rows", "5"),
            ("row-0-source", "email_address"), ("row-0-target", "email"), ("row-0-transform", "lower"),
            ("row-1-source", "amount_due"), ("row-1-target", "total"), ("row-1-transform", "minor_to_decimal"), ("row-1-parameter", "currency"),
            ("row-1-remove", "yes"),
            ("row-2-source", ""), ("row-2-target", ""), ("row-2-transform", ""),
            ("row-3-source", "a..b"), ("row-3-target", "name"), ("row-3-transform", "constant"), ("row-3-parameter", "ACME"),
            ("row-4-source", "due"), ("row-4-target", "due_date"), ("row-4-transform", "decimal_to_minor"), ("row-4-parameter", "3"),
        ])
        let kept = MappingEditor(mappings: Self.stored).kept
        let editor = MappingEditor(form: form, kept: kept)
        #expect(editor.rows.count == 4, "the blank row is dropped")
        let (rules, origin) = editor.rules()
        #expect(rules.count == 5, "2 kept + 3 rows (one removed)")
        #expect(origin == [nil, nil, 0, 2, 3])
        #expect(rules[0] == kept[0])
        #expect(rules[2] == ["target": "email", "source": "email_address", "transforms": [["type": "lower"]]])
        #expect(rules[3] == ["target": "name", "source": "a..b", "transforms": [["type": "constant", "value": "ACME"]]])
        #expect(rules[4] == ["target": "due_date", "source": "due", "transforms": [["type": "decimal_to_minor", "exponent": 3]]])

        #expect(MappingEditor.place(of: "field_mappings.rules[3].source", rows: origin)! == (2, "source"))
        #expect(MappingEditor.place(of: "field_mappings.rules[4].transforms[0].exponent", rows: origin)! == (3, "parameter"))
        #expect(MappingEditor.place(of: "field_mappings.rules[4].transforms[0]", rows: origin)! == (3, "transform"))
        #expect(MappingEditor.place(of: "field_mappings.rules[2].target", rows: origin)! == (0, "target"))
        #expect(MappingEditor.place(of: "field_mappings.rules[1].each[0].source", rows: origin) == nil, "a kept rule has no row")
        #expect(MappingEditor.place(of: "field_mappings.rules[9].source", rows: origin) == nil)
        #expect(MappingEditor.place(of: "field_mappings", rows: origin) == nil)
        #expect(MappingEditor.shortMessage("field_mappings.rules[3].source: 'a..b' is not a path") == "'a..b' is not a path")
    }

    @Test func theRefusedRowShowsItsErrorBesideTheFieldAndTheSummaryLinksToIt() async throws {
        let editor = MappingEditor(rows: [
            .init(source: "email_address", target: "email"), .init(source: "a..b", target: "name"),
        ])
        let rows = editor.templateRows(error: (1, "source", "'a..b' is <not> a path"))
        #expect(rows.count == 2 + MappingEditor.spareRows)
        let renderer = try await PageRenderer.bundled()
        let html = renderer.html(
            "sync-mappings",
            [
                "title": "Field mappings", "signed_in": true, "csrf": "t", "id": "c1", "entity": "customers", "rows": rows,
                "row_count": rows.count, "error": "'a..b' is <not> a path", "error_link": "#row-1-source", "error_row": 2,
            ]
        )
        #expect(html.contains("<a href=\"#row-1-source\">Row 2: &#39;a..b&#39; is &lt;not&gt; a path</a>"))
        #expect(
            html.contains(
                "id=\"row-1-source\" name=\"row-1-source\" type=\"text\" value=\"a..b\" aria-invalid=\"true\" aria-describedby=\"row-1-error\""
            )
        )
        #expect(
            html.contains("<p class=\"field-error\" id=\"row-1-error\"><span aria-hidden=\"true\">✖</span> &#39;a..b&#39; is &lt;not&gt; a path</p>")
        )
        #expect(html.components(separatedBy: "aria-invalid").count == 2, "only the refused field is marked")
        #expect(html.components(separatedBy: "class=\"row-error\"").count == 2, "only the refused row is marked")
        #expect(html.contains("name=\"rows\" value=\"5\""))
    }
}
