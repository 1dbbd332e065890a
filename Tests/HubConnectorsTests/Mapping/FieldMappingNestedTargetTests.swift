import HubConnectors
import HubCore
import Testing

/// `map` writing canonical targets inside objects (`address.city`): objects are made on the way,
/// filled by several rules, and a value in the way that is not an object is replaced.
@Suite struct FieldMappingNestedTargetTests {
    @Test func rulesFillNestedObjectsAtAnyDepth() {
        let mapping = FieldMapping(rules: [
            .field("name", "name"),
            .field("address.city", "city"),
            .field("a.b.c", "x"),
            .field("address.country", "country", .upper),
            .field("a.b.d", "y"),
            .field("a.e", "z"),
        ])
        let mapped = mapping.map(["name": "Ada", "city": "Ottawa", "country": "ca", "x": 1, "y": [2], "z": ["k": .null]])
        #expect(
            mapped.canonical == [
                "name": "Ada", "address": ["city": "Ottawa", "country": "CA"], "a": ["b": ["c": 1, "d": [2]], "e": ["k": .null]],
            ]
        )
        #expect(mapped.errors.isEmpty)
    }

    @Test func aMissingSourceWritesNoObject() {
        let mapping = FieldMapping(rules: [.field("address.city", "city"), .field("address.line1", "line1"), .field("name", "name")])
        #expect(mapping.map(["name": "Ada"]).canonical == ["name": "Ada"])
        #expect(mapping.map(["line1": "1 Main St"]).canonical == ["address": ["line1": "1 Main St"]])
    }

    @Test func aValueInTheWayIsReplacedAndALaterTopLevelRuleWins() {
        let objectAfter = FieldMapping(rules: [.field("address", "address"), .field("address.city", "city")])
        #expect(objectAfter.map(["address": "1 Main St", "city": "Ottawa"]).canonical == ["address": ["city": "Ottawa"]])
        // An object already there keeps its other keys.
        #expect(
            objectAfter.map(["address": ["line1": "1 Main St"], "city": "Ottawa"]).canonical == ["address": ["line1": "1 Main St", "city": "Ottawa"]]
        )
        let valueAfter = FieldMapping(rules: [.field("address.city", "city"), .field("address", "address")])
        #expect(valueAfter.map(["address": "1 Main St", "city": "Ottawa"]).canonical == ["address": "1 Main St"])
    }

    @Test func elementRulesWriteNestedTargetsInEachElement() {
        let mapping = FieldMapping(rules: [
            FieldRule(target: "lines", source: "items", each: [.field("item.sku", "sku"), .field("item.name", "title"), .field("qty", "quantity")])
        ])
        let mapped = mapping.map(["items": [["sku": "A", "title": "Apple", "quantity": 2], ["sku": "B", "quantity": 1]]])
        #expect(mapped.canonical == ["lines": [["item": ["sku": "A", "name": "Apple"], "qty": 2], ["item": ["sku": "B"], "qty": 1]]])
    }
}
