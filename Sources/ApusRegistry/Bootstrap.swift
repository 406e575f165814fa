import ApusMachinery
import Foundation

/// What exists in every cluster from its first start: the four system namespaces and the
/// `default/kubernetes` service (and its endpoints) that points at the API server.
public enum Bootstrap {
    public static let systemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"]

    public static func ensure(registry: Registry, advertiseAddress: String?, port: Int) async throws(APIError) {
        guard let namespaces = await registry.catalog.lookup(group: "", version: "v1", resource: "namespaces"),
              let services = await registry.catalog.lookup(group: "", version: "v1", resource: "services"),
              let endpoints = await registry.catalog.lookup(group: "", version: "v1", resource: "endpoints")
        else { throw APIError.internalError("core resources are not registered") }
        for name in systemNamespaces {
            try await createIfMissing(registry, namespaces, namespace: nil, ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
        }
        if let priorityClasses = await registry.catalog.lookup(group: "scheduling.k8s.io", version: "v1", resource: "priorityclasses") {
            for priorityClass in PodAdmission.systemPriorityClasses {
                try await createIfMissing(registry, priorityClasses, namespace: nil, priorityClass)
            }
        }
        let apiServiceIP = registry.store.allocator?.apiServiceIP ?? "10.43.0.1"
        try await createIfMissing(registry, services, namespace: "default", [
            "apiVersion": "v1", "kind": "Service",
            "metadata": ["name": "kubernetes", "namespace": "default",
                         "labels": ["component": "apiserver", "provider": "kubernetes"]],
            "spec": ["type": "ClusterIP", "clusterIP": .string(apiServiceIP), "sessionAffinity": "None",
                     "ports": [["name": "https", "port": 443, "protocol": "TCP", "targetPort": .int(Int64(port))]]],
        ])
        // Endpoints may not hold loopback addresses; without a routable address there is none to list.
        guard let advertiseAddress, !advertiseAddress.hasPrefix("127."), advertiseAddress != "::1" else {
            registry.logger.warning("no routable advertise address: the default/kubernetes endpoints are not written")
            return
        }
        let subsets: JSON = [["addresses": [["ip": .string(advertiseAddress)]],
                              "ports": [["name": "https", "port": .int(Int64(port)), "protocol": "TCP"]]]]
        let body: JSON = ["apiVersion": "v1", "kind": "Endpoints",
                          "metadata": ["name": "kubernetes", "namespace": "default",
                                       "labels": ["endpointslice.kubernetes.io/skip-mirror": "true"]],
                          "subsets": subsets]
        if let existing = try? await registry.store.get(endpoints, namespace: "default", name: "kubernetes") {
            if existing.object["subsets"] == subsets { return }
            _ = try await registry.store.update(endpoints, namespace: "default", name: "kubernetes",
                                                mode: .transform { current in
                                                    var next = current
                                                    next["subsets"] = subsets
                                                    next[path: ["metadata", "resourceVersion"]] = .null
                                                    return next
                                                },
                                                options: WriteOptions())
        } else {
            try await createIfMissing(registry, endpoints, namespace: "default", body)
        }
    }

    static func createIfMissing(_ registry: Registry, _ def: ResourceDefinition, namespace: String?, _ body: JSON) async throws(APIError) {
        do {
            _ = try await registry.store.create(def, namespace: namespace, body: body, options: WriteOptions())
        } catch let error where error.reason == "AlreadyExists" {
            return
        }
    }
}

/// The real clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Double { Date().timeIntervalSince1970 }
}
