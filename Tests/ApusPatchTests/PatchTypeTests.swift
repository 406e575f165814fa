import Testing
@testable import ApusPatch

@Suite struct PatchTypeTests {
    @Test func recognisesEveryMediaType() {
        #expect(PatchType(contentType: "application/json-patch+json") == .json)
        #expect(PatchType(contentType: "application/merge-patch+json") == .merge)
        #expect(PatchType(contentType: "application/strategic-merge-patch+json") == .strategic)
        #expect(PatchType(contentType: "application/apply-patch+yaml") == .apply)
    }

    @Test func ignoresParametersSpacesAndCase() {
        #expect(PatchType(contentType: "application/merge-patch+json; charset=utf-8") == .merge)
        #expect(PatchType(contentType: "  Application/Strategic-Merge-Patch+JSON ;charset=UTF-8") == .strategic)
        #expect(PatchType(contentType: "application/json-patch+json;") == .json)
    }

    @Test func rejectsOtherMediaTypes() {
        #expect(PatchType(contentType: "application/json") == nil)
        #expect(PatchType(contentType: "") == nil)
        #expect(PatchType(contentType: "; charset=utf-8") == nil)
        #expect(PatchType(contentType: "application/merge-patch+jsonx") == nil)
    }

    @Test func rawValuesAreTheMediaTypes() {
        #expect(PatchType.strategic.rawValue == "application/strategic-merge-patch+json")
        #expect(PatchType.allCases.count == 4)
    }
}
