import ApusMachinery
import Testing

@Suite struct MediaTypeTests {
    @Test func essenceDropsParametersSpacesAndCase() {
        #expect(MediaType.essence(of: " Application/JSON ; charset=utf-8") == "application/json")
        #expect(MediaType.essence(of: "application/vnd.kubernetes.protobuf") == "application/vnd.kubernetes.protobuf")
    }

    @Test func anEmptyHeaderIsAnEmptyType() {
        #expect(MediaType.essence(of: "") == "")
        #expect(MediaType.essence(of: ";") == "")
    }
}
