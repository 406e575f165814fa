import ApusControllerKit
import ApusMachinery
import Testing
@testable import ApusControllerLoops

@Suite struct DeploymentTemplateHashTests {
    let template = DeploymentsFixtures.template()

    @Test func looksLikeKubernetesHashes() {
        let hash = DeploymentTemplateHash.compute(template, collisionCount: nil)
        #expect(!hash.isEmpty && hash.count <= 10)
        #expect(hash.allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
        #expect(DeploymentTemplateHash.compute(template, collisionCount: nil) == hash)
        // Digits map onto the safe alphabet by their code point, as rand.SafeEncodeString does.
        #expect(TemplateHashing.safeEncode("0123456789") == "456789bcdf")
    }

    @Test func isFNV1a() {
        #expect(TemplateHashing.fnv1a32(Array("".utf8)) == 0x811C_9DC5)
        #expect(TemplateHashing.fnv1a32(Array("a".utf8)) == 0xE40C_292C)
        #expect(TemplateHashing.fnv1a32(Array("foobar".utf8)) == 0xBF9C_F968)
    }

    @Test func changesWithTheTemplateAndTheCollisionCount() {
        let base = DeploymentTemplateHash.compute(template, collisionCount: nil)
        #expect(DeploymentTemplateHash.compute(DeploymentsFixtures.template(image: "nginx:1.26"), collisionCount: nil) != base)
        #expect(DeploymentTemplateHash.compute(template, collisionCount: 1) != base)
        #expect(DeploymentTemplateHash.compute(template, collisionCount: 1) != DeploymentTemplateHash.compute(template, collisionCount: 2))
    }

    @Test func ignoresTheHashLabelAndEmptyFields() {
        var fromReplicaSet = template
        fromReplicaSet[path: ["metadata", "labels", "pod-template-hash"]] = "abc"
        #expect(DeploymentTemplateHash.equalIgnoringHash(template, fromReplicaSet))
        #expect(DeploymentTemplateHash.compute(fromReplicaSet, collisionCount: nil) == DeploymentTemplateHash.compute(template, collisionCount: nil))

        // What kubectl rollout undo writes back: creationTimestamp null, resources {}, quantities in another form.
        var undone = template
        undone[path: ["metadata"]] = ["labels": ["app": "web"], "creationTimestamp": nil]
        undone[path: ["spec", "containers"]] = [["name": "web", "image": "nginx:1.25", "resources": .emptyObject]]
        #expect(DeploymentTemplateHash.equalIgnoringHash(template, undone))

        var withLimits = template
        withLimits[path: ["spec", "containers"]] = [["name": "web", "image": "nginx:1.25", "resources": ["limits": ["cpu": "1000m", "memory": 3.0]]]]
        var sameLimits = template
        sameLimits[path: ["spec", "containers"]] = [["name": "web", "image": "nginx:1.25", "resources": ["limits": ["cpu": "1", "memory": "3"]]]]
        #expect(DeploymentTemplateHash.equalIgnoringHash(withLimits, sameLimits))

        var other = template
        other[path: ["spec", "containers"]] = [["name": "web", "image": "nginx:1.25", "stdin": true]]
        #expect(!DeploymentTemplateHash.equalIgnoringHash(template, other))
    }
}
