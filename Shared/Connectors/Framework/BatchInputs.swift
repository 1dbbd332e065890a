import HubCore

/// A batch's writes made into what one provider call sends: a write refused before sending (no
/// id, fields the provider cannot take) keeps its refusal at its position, the others are sent
/// in order, `sent[n]` naming the write of `inputs[n]`. The connector fills in the answers and
/// `finished` gives one outcome per write.
public struct BatchInputs<Input> {
    public var outcomes: [Result<ProviderRecord?, ConnectorError>?]
    public private(set) var inputs: [Input] = []
    public private(set) var sent: [Int] = []

    public init(_ writes: [BatchWrite], _ make: (_ index: Int, _ write: BatchWrite) throws(ConnectorError) -> Input) {
        outcomes = Array(repeating: nil, count: writes.count)
        for (index, write) in writes.enumerated() {
            do throws(ConnectorError) {
                inputs.append(try make(index, write))
                sent.append(index)
            } catch {
                outcomes[index] = .failure(error)
            }
        }
    }

    /// One outcome per write; `unanswered` for those the answer said nothing of.
    public func finished(unanswered: Result<ProviderRecord?, ConnectorError> = .success(nil)) -> [Result<ProviderRecord?, ConnectorError>] {
        outcomes.map { $0 ?? unanswered }
    }
}
