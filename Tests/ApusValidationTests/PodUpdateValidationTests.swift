import ApusMachinery
import Testing
@testable import ApusValidation

@Suite struct PodUpdateValidationTests {
    let old: JSON = [
        "metadata": ["name": "p", "namespace": "d"],
        "spec": [
            "containers": [["name": "web", "image": "nginx:1", "resources": ["limits": ["cpu": "1"]]]],
            "activeDeadlineSeconds": 100,
            "tolerations": [["key": "a", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 10]],
        ],
    ]

    func update(_ change: (inout JSON) -> Void) -> [String] {
        var new = old
        change(&new)
        return messages(KindValidation.validateUpdate(group: "", kind: "Pod", new: new, old: old))
    }

    @Test func allowedChanges() {
        #expect(update { pod in
            pod[path: ["spec", "containers"]] = [["name": "web", "image": "nginx:2", "resources": ["limits": ["cpu": "1000m"]]]]
            pod[path: ["spec", "activeDeadlineSeconds"]] = 50
            pod[path: ["spec", "tolerations"]] = [
                ["key": "a", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 20],
                ["key": "b", "operator": "Exists"],
            ]
        } == [])
        #expect(update { _ in } == [])
    }

    @Test func forbiddenChange() {
        let errs = update { pod in pod[path: ["spec", "containers"]] = [["name": "web2", "image": "nginx:1", "resources": ["limits": ["cpu": "1"]]]] }
        #expect(errs.count == 1)
        #expect(errs.first?.hasPrefix("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n") == true)
        #expect(errs.first?.contains("- spec.containers[0].name: \"web\"") == true)
        #expect(errs.first?.contains("+ spec.containers[0].name: \"web2\"") == true)
    }

    @Test func addingContainers() {
        #expect(update { pod in pod[path: ["spec", "containers"]] = [["name": "web", "image": "a"], ["name": "b", "image": "b"]] }
                == ["spec.containers: Forbidden: pod updates may not add or remove containers"])
    }

    @Test func deadlineAndTolerations() {
        #expect(update { pod in pod[path: ["spec", "activeDeadlineSeconds"]] = 200 }
                == ["spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value"])
        #expect(update { pod in pod[path: ["spec", "activeDeadlineSeconds"]] = .null }
                == ["spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value"])
        let errs = update { pod in pod[path: ["spec", "tolerations"]] = [["key": "b", "operator": "Exists"]] }
        #expect(errs.first == "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds")
    }
}
