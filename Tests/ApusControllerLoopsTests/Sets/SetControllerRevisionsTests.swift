import ApusControllerKit
import ApusControllerLoops
import ApusMachinery
import Testing

@Suite struct SetControllerRevisionsTests {
    @Test func safeEncodingUsesNoVowels() {
        #expect(TemplateHashing.safeEncode("123") == "567")
        #expect(TemplateHashing.safeEncode("4294967295").allSatisfy { !"aeiou".contains($0) })
    }

    @Test func dataRoundTripsTheTemplate() {
        let template = SetsFixtures.template(app: "web", image: "nginx:1")
        let data = SetControllerRevisions.data(template: template)
        #expect(data["spec"]["template"]["$patch"] == "replace")
        let revision: JSON = ["data": data]
        #expect(SetControllerRevisions.template(of: revision) == template)
    }

    @Test func equalityAndHashesIgnoreEmptyValues() {
        let template = SetsFixtures.template(app: "web", image: "nginx:1")
        var roundTripped = template
        // What a kubectl round trip adds to a template.
        roundTripped[path: ["metadata"]] = ["labels": ["app": "web"], "creationTimestamp": nil]
        roundTripped[path: ["spec", "containers"]] = [["name": "main", "image": "nginx:1", "resources": [:]]]
        let (a, b) = (SetControllerRevisions.data(template: template), SetControllerRevisions.data(template: roundTripped))
        #expect(SetControllerRevisions.sameData(a, b))
        #expect(SetControllerRevisions.dataHash(a, collisionCount: 0) == SetControllerRevisions.dataHash(b, collisionCount: 0))
        #expect(SetControllerRevisions.templateHash(template, collisionCount: nil) == SetControllerRevisions.templateHash(roundTripped, collisionCount: nil))

        var changed = template
        changed[path: ["spec", "containers"]] = [["name": "main", "image": "nginx:2"]]
        #expect(!SetControllerRevisions.sameData(a, SetControllerRevisions.data(template: changed)))
        #expect(SetControllerRevisions.dataHash(a, collisionCount: 0) != SetControllerRevisions.dataHash(a, collisionCount: 1))
        #expect(SetControllerRevisions.templateHash(template, collisionCount: 0) != SetControllerRevisions.templateHash(template, collisionCount: 1))
    }

    @Test func namesAreCutTo253Bytes() {
        let name = SetControllerRevisions.name(prefix: String(repeating: "a", count: 300), hash: "b5c6d7")
        #expect(name.utf8.count == 223 + 1 + 6)
        #expect(SetControllerRevisions.name(prefix: "web", hash: "b5c6d7") == "web-b5c6d7")
    }

    @Test func historyAndRollbackTarget() {
        let set = SetsFixtures.statefulSet()
        func revision(_ name: String, _ number: Int64, owned: Bool = true) -> JSON {
            var revision = SetControllerRevisions.revision(owner: set, ownerKind: "StatefulSet", name: name, labels: ["app": "web"],
                                                           annotations: [:], data: .emptyObject, number: number)
            if !owned { revision[path: ["metadata", "ownerReferences"]] = .null }
            return revision
        }
        let revisions = [revision("web-c", 3), revision("web-a", 1), revision("web-b", 2), revision("stray", 4, owned: false)]
        #expect(SetControllerRevisions.history(of: set, in: revisions).map { $0["metadata"]["name"] } == ["web-a", "web-b", "web-c"])
        #expect(SetControllerRevisions.rollbackTarget(of: set, in: revisions)?["metadata"]["name"] == "web-b")
        #expect(SetControllerRevisions.rollbackTarget(of: set, in: revisions, toRevision: 1)?["metadata"]["name"] == "web-a")
        #expect(SetControllerRevisions.rollbackTarget(of: set, in: revisions, toRevision: 9) == Optional<JSON>.none)
        #expect(SetControllerRevisions.rollbackTarget(of: set, in: [revision("web-a", 1)]) == Optional<JSON>.none)
    }
}
