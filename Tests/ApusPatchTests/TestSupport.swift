import ApusMachinery
@testable import ApusPatch

/// Parses JSON text written in a test; malformed test data fails the test through the thrown error.
func json(_ text: String) throws -> JSON {
    try JSON.parse(text)
}

/// The APIError a patch operation throws, or nil when it succeeds.
func patchError(_ body: () throws(APIError) -> JSON) -> APIError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}
