import ApusControllerKit
import ApusMachinery

/// Kubernetes' rules for turning a Service's pods into endpoints, shared by the Endpoints and
/// EndpointSlice controllers (k8s.io/endpointslice/util and friends).
enum ServiceEndpointRules {
    static let headlessLabel = "service.kubernetes.io/headless"
    static let triggerTimeAnnotation = "endpoints.kubernetes.io/last-change-trigger-time"

    /// ShouldPodBeInEndpoints: not finished, has an IP, and (unless terminating pods are wanted)
    /// not being deleted.
    static func shouldInclude(_ pod: JSON, includeTerminating: Bool) -> Bool {
        let phase = PodState.phase(pod)
        if phase == "Succeeded" || phase == "Failed" { return false }
        if (pod["status"]["podIP"].string ?? "").isEmpty && (pod["status"]["podIPs"].array ?? []).isEmpty { return false }
        if !includeTerminating && PodState.isTerminating(pod) { return false }
        return true
    }

    /// ShouldSetHostname: the pod names a hostname and its subdomain is this service.
    static func shouldSetHostname(_ pod: JSON, _ service: JSON) -> Bool {
        guard let hostname = pod["spec"]["hostname"].string, !hostname.isEmpty else { return false }
        return pod["spec"]["subdomain"].string == service["metadata"]["name"].string
            && pod["metadata"]["namespace"].string == service["metadata"]["namespace"].string
    }

    /// IsServiceIPSet: a cluster IP other than None.
    static func hasClusterIP(_ service: JSON) -> Bool {
        let clusterIP = service["spec"]["clusterIP"].string ?? ""
        return !clusterIP.isEmpty && clusterIP != "None"
    }

    static func isHeadless(_ service: JSON) -> Bool { service["spec"]["clusterIP"].string == "None" }

    static func isIPv6(_ address: String) -> Bool { address.contains(":") }

    /// The pod's IPs (status.podIPs, or status.podIP when only that is set).
    static func podIPs(_ pod: JSON) -> [String] {
        let ips = (pod["status"]["podIPs"].array ?? []).compactMap { $0["ip"].string }
        if !ips.isEmpty { return ips }
        return pod["status"]["podIP"].string.map { [$0] } ?? []
    }

    /// FindPort: the container port a service port targets in this pod (a number as is; a name
    /// looked up in the pod's containers and sidecar init containers with the same protocol).
    static func findPort(_ pod: JSON, servicePort: JSON) -> Int64? {
        let target = servicePort["targetPort"].isNull ? servicePort["port"] : servicePort["targetPort"]
        if let number = target.int { return number }
        guard let name = target.string else { return nil }
        if let number = Int64(name) { return number }
        let proto = servicePort["protocol"].string ?? "TCP"
        let sidecars = (pod["spec"]["initContainers"].array ?? []).filter { $0["restartPolicy"].string == "Always" }
        for container in (pod["spec"]["containers"].array ?? []) + sidecars {
            for port in container["ports"].array ?? [] where port["name"].string == name && (port["protocol"].string ?? "TCP") == proto {
                return port["containerPort"].int
            }
        }
        return nil
    }

    static func selector(of service: JSON) -> LabelSelector? { ClusterLoopSupport.setSelector(service["spec"]["selector"]) }

    /// The pods a service selects, by name.
    static func pods(for service: JSON, selector: LabelSelector, lister: any ObjectLister) async -> [JSON] {
        await lister.list(namespace: service["metadata"]["namespace"].string ?? "")
            .filter { selector.matches(PodState.labels($0)) }
            .sorted { ($0["metadata"]["name"].string ?? "") < ($1["metadata"]["name"].string ?? "") }
    }

    // MARK: Which services a pod change touches

    /// GetPodUpdateProjectionKey + GetServicesToUpdate: the services whose endpoints may change.
    static func servicesToSync(old: JSON?, new: JSON?, services: any ObjectLister) async -> [String] {
        guard let pod = new ?? old else { return [] }
        let namespace = pod["metadata"]["namespace"].string ?? ""
        let all = await services.list(namespace: namespace)
        func matching(_ labels: [String: String]) -> Set<String> {
            Set(all.filter { selector(of: $0)?.matches(labels) ?? false }.map(ObjectKey.of))
        }
        guard let old, let new else { return matching(PodState.labels(pod)).sorted() }
        if old["metadata"]["resourceVersion"] == new["metadata"]["resourceVersion"] { return [] }
        let labelsChanged = old["metadata"]["labels"] != new["metadata"]["labels"]
            || old["spec"]["hostname"] != new["spec"]["hostname"] || old["spec"]["subdomain"] != new["spec"]["subdomain"]
        let podChanged = old["metadata"]["deletionTimestamp"] != new["metadata"]["deletionTimestamp"]
            || PodState.isReady(old) != PodState.isReady(new)
            || podIPs(old) != podIPs(new)
        if !podChanged && !labelsChanged { return [] }
        let current = matching(PodState.labels(new))
        if !labelsChanged { return current.sorted() }
        let previous = matching(PodState.labels(old))
        return (podChanged ? current.union(previous) : current.symmetricDifference(previous)).sorted()
    }
}
