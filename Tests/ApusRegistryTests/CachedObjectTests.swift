import ApusMachinery
import Testing
@testable import ApusRegistry

@Suite struct CachedObjectTests {
    @Test func aCachedObjectKeepsItsBytesWithoutSpareCapacity() {
        var grown: [UInt8] = []
        for byte in 0..<1000 { grown.append(UInt8(byte % 256)) }
        grown.reserveCapacity(4000)
        let exact = ObjectDecoder.exactCopy(grown)
        #expect(exact == grown)
        #expect(exact.capacity < grown.count + grown.count / 16 + 64)
    }

    @Test func decodingSetsTheRevisionAndStoresCompactBytes() throws {
        let decoder = ObjectDecoder { _ in nil }
        let value = Array(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"default"},"data":{"k":"v"}}"#.utf8)
        let cached = try #require(decoder.decode(key: "/registry/core/configmaps/default/c", value: value, revision: 42))
        #expect(cached.object["metadata"]["resourceVersion"] == "42")
        #expect(cached.bytes.capacity < cached.bytes.count + cached.bytes.count / 16 + 64)
    }
}
