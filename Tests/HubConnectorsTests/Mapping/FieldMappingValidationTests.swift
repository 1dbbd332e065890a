import HubConnectors
import HubCore
import XCTest

/// `validate(entity:)` names the exact place that is wrong, so a PUT can be refused with it.
final class FieldMappingValidationTests: XCTestCase {
    private func failure(
        _ json: String,
        entity: String = "invoices",
        file: StaticString = #filePath,
        line: UInt = #line
    )
        throws -> FieldMappingError
    {
        let mapping = try JSONDecoder().decode(FieldMapping.self, from: Data(json.utf8))
        do {
            try mapping.validate(entity: entity)
        } catch {
            return error
        }
        XCTFail("the mapping was accepted", file: file, line: line)
        return FieldMappingError(path: "", message: "")
    }

    private func rules(_ rules: String) -> String { #"{"rules": [\#(rules)]}"# }

    func testAValidMappingPasses() throws {
        let json = rules(
            #"""
            {"target": "id", "source": "id"},
            {"target": "amount_due", "source": "amount_due", "transforms": [{"type": "decimal_to_minor", "currency_path": "currency"}]},
            {"target": "currency", "source": "currency", "transforms": [{"type": "upper"}, {"type": "default", "value": "USD"}]},
            {"target": "due_date", "source": "due_date", "transforms": [{"type": "unix_to_date"}]},
            {"target": "lines", "source": "lines.data[].amount"},
            {"target": "status", "source": "status", "transforms": [{"type": "lookup", "table": {"open": "sent"}, "fallback": null}]},
            {"target": "created_at", "source": "created", "transforms": [{"type": "unix_to_iso"}], "direction": "pull"}
            """#
        )
        try JSONDecoder().decode(FieldMapping.self, from: Data(json.utf8)).validate(entity: "invoices")
    }

    /// Each rule is checked against the ones before it, so their number is bounded: 500 in all,
    /// the rules of `each` counted.
    func testAMappingOfMoreRulesThanAllowedIsRefusedAtOnce() throws {
        let atLimit = FieldMapping(rules: (0..<FieldMapping.maximumRules).map { .field("metadata.k\($0)", "a") })
        try atLimit.validate(entity: "customers")
        let tooMany = FieldMapping(rules: atLimit.rules + [.field("metadata.extra", "a")])
        XCTAssertThrowsError(try tooMany.validate(entity: "customers")) { error in
            XCTAssertEqual(
                error as? FieldMappingError,
                FieldMappingError(path: "rules", message: "a mapping holds at most 500 rules (elements' rules included); this one has 501")
            )
        }
        var nested = FieldRule(target: "lines", source: "lines")
        nested.each = (0..<FieldMapping.maximumRules).map { .field("description", "d\($0)") }
        XCTAssertEqual(try failure(rules(String(decoding: try JSONEncoder().encode(nested), as: UTF8.self))).path, "rules")
    }

    func testMalformedSourcePath() throws {
        let error = try failure(
            rules(#"{"target": "id", "source": "id"}, {"target": "total", "source": "total"}, {"target": "lines", "source": "lines..x"}"#)
        )
        XCTAssertEqual(error, FieldMappingError(path: "rules[2].source", message: "'lines..x' is not a valid field path"))
    }

    func testTargetOutsideTheEntity() throws {
        let error = try failure(rules(#"{"target": "foo", "source": "id"}"#))
        XCTAssertEqual(error, FieldMappingError(path: "rules[0].target", message: "'foo' is not a field of invoices"))
    }

    func testNestedTargetOnlyInsideAnObjectField() throws {
        XCTAssertEqual(try failure(rules(#"{"target": "total.cents", "source": "total"}"#)).path, "rules[0].target")
        try FieldMapping(rules: [.field("address.city", "address.city")]).validate(entity: "customers")
    }

    func testDuplicateAndOverlappingTargets() throws {
        let duplicate = try failure(rules(#"{"target": "total", "source": "total"}, {"target": "total", "source": "amount_due"}"#))
        XCTAssertEqual(duplicate, FieldMappingError(path: "rules[1].target", message: "'total' is already mapped by rules[0]"))
        let overlap = try failure(
            rules(#"{"target": "address.city", "source": "city"}, {"target": "address", "source": "address"}"#),
            entity: "customers"
        )
        XCTAssertEqual(overlap.path, "rules[1].target")
        // One rule reads the field, another writes it back elsewhere: allowed.
        try FieldMapping(rules: [
            FieldRule(target: "total", source: "total", direction: .pull), FieldRule(target: "total", source: "amount", direction: .push),
        ]).validate(entity: "invoices")
    }

    func testUnknownTransform() throws {
        let error = try failure(rules(#"{"target": "total", "source": "total", "transforms": [{"type": "upper"}, {"type": "cents"}]}"#))
        XCTAssertEqual(error.path, "rules[0].transforms[1].type")
        XCTAssertTrue(error.message.hasPrefix("unknown transform 'cents'"), error.message)
    }

    func testMissingParameters() throws {
        XCTAssertEqual(
            try failure(rules(#"{"target": "total", "source": "total", "transforms": [{"type": "decimal_to_minor"}]}"#)),
            FieldMappingError(path: "rules[0].transforms[0].exponent", message: "'decimal_to_minor' needs an exponent or a currency_path")
        )
        XCTAssertEqual(
            try failure(rules(#"{"target": "status", "source": "s", "transforms": [{"type": "lookup"}]}"#)).path,
            "rules[0].transforms[0].table"
        )
        XCTAssertEqual(try failure(rules(#"{"target": "status", "transforms": [{"type": "constant"}]}"#)).path, "rules[0].transforms[0].value")
        XCTAssertEqual(try failure(rules(#"{"target": "status"}"#)).path, "rules[0].source")
        XCTAssertEqual(
            try failure(rules(#"{"target": "total", "source": "t", "transforms": [{"type": "minor_to_decimal", "exponent": 9}]}"#)).path,
            "rules[0].transforms[0].exponent"
        )
        XCTAssertEqual(
            try failure(rules(#"{"target": "total", "source": "t", "transforms": [{"type": "minor_to_decimal", "currency_path": "a[]"}]}"#)).path,
            "rules[0].transforms[0].currency_path"
        )
    }

    func testConstantsMustFitTheTarget() throws {
        XCTAssertEqual(
            try failure(rules(#"{"target": "total", "transforms": [{"type": "constant", "value": "ten"}]}"#)),
            FieldMappingError(path: "rules[0].transforms[0].value", message: "'ten' is not a whole number for 'total'")
        )
        XCTAssertEqual(
            try failure(rules(#"{"target": "currency", "transforms": [{"type": "constant", "value": "dollars"}]}"#)).path,
            "rules[0].transforms[0].value"
        )
        XCTAssertEqual(
            try failure(rules(#"{"target": "due_date", "source": "d", "transforms": [{"type": "default", "value": "soon"}]}"#)).path,
            "rules[0].transforms[0].value"
        )
        XCTAssertEqual(
            try failure(rules(#"{"target": "id", "transforms": [{"type": "constant", "value": null}]}"#)).message,
            "'id' is required; null does not fit"
        )
        XCTAssertEqual(
            try failure(rules(#"{"target": "status", "source": "s", "transforms": [{"type": "lookup", "table": {"a": "x", "b": 2}}]}"#)).path,
            "rules[0].transforms[0].table.b"
        )
    }

    func testTransformResultsMustFitTheTarget() throws {
        let text = try failure(rules(#"{"target": "total", "source": "t", "transforms": [{"type": "unix_to_iso"}]}"#))
        XCTAssertEqual(text, FieldMappingError(path: "rules[0].target", message: "'total' of invoices is money but the transforms produce text"))
        XCTAssertEqual(
            try failure(rules(#"{"target": "created_at", "source": "c", "transforms": [{"type": "unix_to_date"}]}"#)).message,
            "'created_at' of invoices is an instant but the transforms produce a date"
        )
        XCTAssertEqual(try failure(rules(#"{"target": "total", "source": "lines[].amount"}"#)).path, "rules[0].source")
    }

    func testTransformsMustReadWhatTheStepBeforeGives() throws {
        let error = try failure(
            rules(#"{"target": "number", "source": "n", "transforms": [{"type": "decimal_to_minor", "exponent": 2}, {"type": "upper"}]}"#)
        )
        XCTAssertEqual(error, FieldMappingError(path: "rules[0].transforms[1].type", message: "this transform needs text but gets a number"))
    }

    func testUnknownEntity() throws {
        XCTAssertEqual(try failure(rules(""), entity: "widgets").path, "entity")
    }
}
