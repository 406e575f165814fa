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

    @Test func selectorsReadTheCachedLabelsAndMetadataFields() throws {
        let decoder = ObjectDecoder { _ in nil }
        let value = Array(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"team","labels":{"app":"web","tier":"front"}}}"#.utf8)
        let cached = try #require(decoder.decode(key: "/registry/core/configmaps/team/c", value: value, revision: 7))
        #expect(cached.label("app") == "web")
        #expect(cached.label("missing") == nil)
        #expect(cached.labels == ["app": "web", "tier": "front"])
        #expect(cached.field("metadata.name") == "c")
        #expect(cached.field("metadata.namespace") == "team")
        #expect(cached.field("status.phase") == "")
        let selector = try LabelSelector.parse("app=web,tier in (front,back),!legacy")
        #expect(selector.matches(label: cached.label))
        #expect(!(try LabelSelector.parse("app!=web")).matches(label: cached.label))
        #expect(try FieldSelector.parse("metadata.namespace=team,metadata.name!=d").matches(field: cached.field))
    }
}
