import ApusMachinery

/// Why a request failed: the server answered with a Status, or there was no usable answer.
public enum ClientError: Error, Sendable, CustomStringConvertible {
    case api(APIError)
    case transport(String)
    case malformed(String)

    /// The HTTP status of an API error (404, 409, 410 …), nil when the server did not answer.
    public var code: Int? {
        if case .api(let error) = self { return error.code }
        return nil
    }

    public var description: String {
        switch self {
        case .api(let error): "\(error.code) \(error.reason): \(error.message)"
        case .transport(let detail): "transport: \(detail)"
        case .malformed(let detail): "malformed response: \(detail)"
        }
    }
}
