import HubCore

/// A `FieldMapping` with its paths parsed and transforms compiled, built once per mapping so
/// `map` costs only the reads, the transforms and the writes.
final class CompiledMapping: Sendable {
    /// A class, not a struct: `map` walks the rules once per record, and a class costs one
    /// retain per rule where a struct of strings and arrays costs several.
    final class Rule: Sendable {
        /// `rules[3]`, for messages.
        let label: String
        let target: FieldPath
        /// The target's only key when it is a plain top-level field (the common, fast case).
        let topLevelTarget: String?
        let source: FieldPath?
        let steps: [TransformStep]
        /// The steps of `unmap`, in order; nil when the rule does not push or cannot be undone.
        let inverseSteps: [TransformStep]?

        init(label: String, target: FieldPath, source: FieldPath?, steps: [TransformStep], inverseSteps: [TransformStep]? = nil) {
            self.label = label
            self.target = target
            let keys = target.keys
            topLevelTarget = keys.count == 1 ? keys[0] : nil
            self.source = source
            self.steps = steps
            self.inverseSteps = inverseSteps
        }

        func withInverse(_ inverseSteps: [TransformStep]) -> Rule {
            Rule(label: label, target: target, source: source, steps: steps, inverseSteps: inverseSteps)
        }
    }

    let pullRules: [Rule]
    let pushRules: [Rule]
    /// Rules that did not compile (the mapping was never validated): reported by every `map`.
    let problems: [String]

    init(rules: [FieldRule]) {
        var compiled: [(rule: Rule, direction: FieldRule.Direction)] = []
        var problems: [String] = []
        for (index, rule) in rules.enumerated() {
            do throws(FieldMappingError) {
                compiled.append((try Self.compile(rule, index: index), rule.direction))
            } catch {
                problems.append("\(error.path): \(error.message)")
            }
        }
        // Where each provider path lands in the canonical object: how `unmap` finds the currency
        // a money step's `currency_path` names on the provider side.
        var canonicalPath: [String: FieldPath] = [:]
        for (rule, _) in compiled {
            if let source = rule.source, canonicalPath[source.text] == nil { canonicalPath[source.text] = rule.target }
        }
        pullRules = compiled.filter { $0.direction != .push }.map(\.rule)
        pushRules = compiled.filter { $0.direction != .pull }.compactMap { entry in
            let rule = entry.rule
            guard rule.source != nil else { return nil }
            var inverse: [TransformStep] = []
            for step in rule.steps.reversed() {
                let currency = Self.currencyPath(of: step).flatMap { canonicalPath[$0.text] } ?? FieldPath("currency")
                guard let undone = step.inverse(currency: currency) else { return nil }
                if case .identity = undone { continue }
                inverse.append(undone)
            }
            return rule.withInverse(inverse)
        }
        self.problems = problems
    }

    private static func currencyPath(of step: TransformStep) -> FieldPath? {
        switch step {
        case .minorToDecimal(let scale, _), .decimalToMinor(let scale, _): scale.currency
        default: nil
        }
    }

    /// Compiles one rule, or throws naming the place in it that is wrong.
    static func compile(_ rule: FieldRule, index: Int) throws(FieldMappingError) -> Rule {
        let label = "rules[\(index)]"
        guard let target = FieldPath(rule.target), target.isKeysOnly else {
            throw FieldMappingError(path: "\(label).target", message: "'\(rule.target)' is not a valid canonical field path")
        }
        var source: FieldPath?
        if let text = rule.source {
            guard let parsed = FieldPath(text) else {
                throw FieldMappingError(path: "\(label).source", message: "'\(text)' is not a valid field path")
            }
            source = parsed
        }
        var steps: [TransformStep] = []
        for (position, transform) in rule.transforms.enumerated() {
            steps.append(try TransformStep(transform, at: "\(label).transforms[\(position)]"))
        }
        if source == nil, !steps.contains(where: Self.suppliesValue) {
            throw FieldMappingError(path: "\(label).source", message: "a source is needed unless a constant or default supplies the value")
        }
        return Rule(label: label, target: target, source: source, steps: steps)
    }

    private static func suppliesValue(_ step: TransformStep) -> Bool {
        switch step {
        case .constant, .defaultValue: true
        default: false
        }
    }

    // MARK: Mapping

    func map(_ payload: JSONValue) -> MappedRecord {
        var fields: [String: JSONValue] = [:]
        fields.reserveCapacity(pullRules.count)
        var errors = problems
        for rule in pullRules {
            let value: JSONValue?
            do throws(TransformStep.Failure) {
                value = try Self.evaluate(rule.steps, source: rule.source, in: payload)
            } catch {
                errors.append("\(rule.target.text): \(error.message) (\(rule.label), source '\(rule.source?.text ?? "")')")
                continue
            }
            guard let value else { continue }
            if let key = rule.topLevelTarget {
                fields[key] = value
            } else {
                var object = JSONValue.object(fields)
                fields = [:]
                rule.target.write(value, into: &object)
                fields = object.objectValue ?? [:]
            }
        }
        return MappedRecord(canonical: .object(fields), errors: errors)
    }

    func unmap(_ canonical: JSONValue) -> JSONValue {
        var result = JSONValue.object([:])
        for rule in pushRules {
            guard let steps = rule.inverseSteps, let source = rule.source,
                let value = rule.target.readPrefix(canonical)
            else { continue }
            // A value that cannot be converted back is left out: the provider keeps its own.
            guard let converted = try? Self.apply(steps, to: value, record: canonical, wildcard: source.hasWildcard) else { continue }
            source.write(converted, into: &result)
        }
        return result
    }

    /// The value of one rule: the source read (per element for a wildcard) and transformed.
    private static func evaluate(
        _ steps: [TransformStep],
        source: FieldPath?,
        in payload: JSONValue
    ) throws(TransformStep.Failure)
        -> JSONValue?
    {
        guard let source else { return try run(steps, on: nil, record: payload) }
        guard let suffix = source.suffix else {
            return try run(steps, on: source.readPrefix(payload), record: payload)
        }
        guard let collection = source.readPrefix(payload) else { return nil }
        guard case .array(let elements) = collection else {
            if collection == .null { return .null }
            throw TransformStep.Failure(message: "\(TransformStep.describe(collection)) is not an array")
        }
        var values: [JSONValue] = []
        values.reserveCapacity(elements.count)
        for element in elements {
            values.append(try run(steps, on: FieldPath.read(suffix[...], in: element), record: payload) ?? .null)
        }
        return .array(values)
    }

    private static func apply(
        _ steps: [TransformStep],
        to value: JSONValue,
        record: JSONValue,
        wildcard: Bool
    ) throws(TransformStep.Failure)
        -> JSONValue?
    {
        guard wildcard, case .array(let elements) = value else { return try run(steps, on: value, record: record) }
        var values: [JSONValue] = []
        for element in elements { values.append(try run(steps, on: element, record: record) ?? .null) }
        return .array(values)
    }

    private static func run(_ steps: [TransformStep], on input: JSONValue?, record: JSONValue) throws(TransformStep.Failure) -> JSONValue? {
        var value = input
        for step in steps { value = try step.apply(value, record: record) }
        return value
    }
}
