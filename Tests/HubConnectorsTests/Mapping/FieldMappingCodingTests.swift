import HubConnectors
import HubCore
import XCTest

/// The stored form of a mapping, and an organization's override over the defaults.
final class FieldMappingCodingTests: XCTestCase {
    func testDecodesTheDocumentedFormAndEncodesItBack() throws {
        let json = #"""
            {"rules": [
              {"target": "amount_due", "source": "amount_due", "transforms": [{"type": "minor_to_decimal", "exponent": 2}]},
              {"target": "status", "source": "status", "transforms": [{"type": "lookup", "table": {"open": "sent"}, "fallback": null}], "direction": "pull"},
              {"target": "description", "transforms": [{"type": "default", "value": null}]}
            ]}
            """#
        let mapping = try JSONDecoder().decode(FieldMapping.self, from: Data(json.utf8))
        XCTAssertEqual(mapping.rules[0], FieldRule(target: "amount_due", source: "amount_due", transforms: [.minorToDecimal(exponent: 2)]))
        XCTAssertEqual(mapping.rules[1].transforms[0].fallback, .null, "a null fallback is kept, not dropped")
        XCTAssertEqual(mapping.rules[1].direction, .pull)
        XCTAssertEqual(mapping.rules[2].transforms[0].value, .null)
        let again = try JSONDecoder().decode(FieldMapping.self, from: JSONEncoder().encode(mapping))
        XCTAssertEqual(again, mapping)
        XCTAssertEqual(again.map(["status": "void"]).canonical, ["status": .null, "description": .null])
    }

    func testAnUnknownTransformStillDecodesSoValidationCanNameIt() throws {
        let json = #"{"rules": [{"target": "total", "source": "total", "transforms": [{"type": "cents", "factor": 100}]}]}"#
        let mapping = try JSONDecoder().decode(FieldMapping.self, from: Data(json.utf8))
        XCTAssertEqual(mapping.rules[0].transforms[0].type, "cents")
        XCTAssertEqual(mapping.map(["total": 5]).errors.count, 1, "a broken rule is reported by map, never fatal")
    }

    func testOverrideReplacesRulesWithTheSameTargetAndAddsOthers() {
        let defaults = FieldMapping(rules: [.field("id", "id"), .field("name", "name"), .field("email", "email")])
        let override = FieldMapping(rules: [.field("email", "contact.email", .lower), .field("phone", "phone")])
        XCTAssertEqual(
            defaults.overriding(with: override).rules,
            [.field("id", "id"), .field("name", "name"), .field("email", "contact.email", .lower), .field("phone", "phone")]
        )
        let merged = defaults.overriding(with: override)
        XCTAssertEqual(merged.map(["id": "1", "email": "x", "contact": ["email": "A@B.C"]]).canonical, ["id": "1", "email": "a@b.c"])
    }

    func testChangingRulesRecompiles() {
        var mapping = FieldMapping(rules: [.field("name", "name")])
        mapping.rules.append(.field("email", "email", .lower))
        XCTAssertEqual(mapping.map(["name": "N", "email": "E"]).canonical, ["name": "N", "email": "e"])
    }
}
