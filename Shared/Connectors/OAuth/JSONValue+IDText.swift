import HubCore

extension JSONValue {
    /// A string, or an integral number as its decimal digits: ids arrive either way (HubSpot's
    /// `hub_id` is a number, most others are strings).
    var idText: String? {
        switch self {
        case .string(let text): text
        case .number(let number) where number.rounded() == number && abs(number) < 1e15: String(Int64(number))
        default: nil
        }
    }
}
