import ApusMachinery

/// Objects for the set controllers' tests, shaped as the API server stores them (defaults applied).
enum SetsFixtures {
    static func node(_ name: String, labels: [String: String] = [:], taints: [JSON] = []) -> JSON {
        var node: JSON = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(name)],
                          "status": ["conditions": [["type": "Ready", "status": "True"]]]]
        if !labels.isEmpty { node[path: ["metadata", "labels"]] = .object(JSONObject(labels.mapValues { .string($0) })) }
        if !taints.isEmpty { node[path: ["spec", "taints"]] = .array(taints) }
        return node
    }

    static func taint(_ key: String, _ effect: String, value: String? = nil) -> JSON {
        var taint: JSON = ["key": .string(key), "effect": .string(effect)]
        if let value { taint["value"] = .string(value) }
        return taint
    }

    static func template(app: String, image: String) -> JSON {
        ["metadata": ["labels": ["app": .string(app)]],
         "spec": ["containers": [["name": "main", "image": .string(image)]], "restartPolicy": "Always"]]
    }

    static func daemonSet(_ name: String = "agent", image: String = "agent:1", generation: Int64 = 1,
                          maxUnavailable: JSON = 1, maxSurge: JSON = 0, strategy: String = "RollingUpdate",
                          historyLimit: Int64 = 10) -> JSON {
        var updateStrategy: JSON = ["type": .string(strategy)]
        if strategy == "RollingUpdate" { updateStrategy["rollingUpdate"] = ["maxUnavailable": maxUnavailable, "maxSurge": maxSurge] }
        return ["apiVersion": "apps/v1", "kind": "DaemonSet",
                "metadata": ["name": .string(name), "namespace": "default", "uid": .string("uid-\(name)"), "generation": .int(generation)],
                "spec": ["selector": ["matchLabels": ["app": .string(name)]],
                         "template": template(app: name, image: image),
                         "updateStrategy": updateStrategy, "revisionHistoryLimit": .int(historyLimit)]]
    }

    static func statefulSet(_ name: String = "web", replicas: Int64 = 3, image: String = "nginx:1", policy: String = "OrderedReady",
                            partition: Int64 = 0, strategy: String = "RollingUpdate", claims: [String] = ["data"],
                            whenDeleted: String = "Retain", whenScaled: String = "Retain", generation: Int64 = 1) -> JSON {
        var updateStrategy: JSON = ["type": .string(strategy)]
        if strategy == "RollingUpdate" { updateStrategy["rollingUpdate"] = ["partition": .int(partition)] }
        let claimTemplates: [JSON] = claims.map { claim in
            ["metadata": ["name": .string(claim)],
             "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]], "volumeMode": "Filesystem"]]
        }
        var set: JSON = ["apiVersion": "apps/v1", "kind": "StatefulSet",
                         "metadata": ["name": .string(name), "namespace": "default", "uid": .string("uid-\(name)"), "generation": .int(generation)],
                         "spec": ["replicas": .int(replicas), "serviceName": "nginx",
                                  "selector": ["matchLabels": ["app": .string(name)]],
                                  "template": template(app: name, image: image),
                                  "podManagementPolicy": .string(policy), "updateStrategy": updateStrategy,
                                  "revisionHistoryLimit": 10,
                                  "persistentVolumeClaimRetentionPolicy": ["whenDeleted": .string(whenDeleted), "whenScaled": .string(whenScaled)]]]
        if !claimTemplates.isEmpty { set[path: ["spec", "volumeClaimTemplates"]] = .array(claimTemplates) }
        return set
    }
}
