import ApusControllerKit
import ApusMachinery

/// Kubernetes' service account controller (`serviceaccount`): every active namespace has a
/// `default` ServiceAccount, created with the namespace and recreated if deleted.
public struct ServiceAccountsController: ControlLoop {
    public let name = "serviceaccount"

    let context: ControllerContext
    let serviceAccounts: [String]

    /// `serviceAccounts` are the names ensured in every namespace (Kubernetes: just `default`).
    public init(context: ControllerContext, serviceAccounts: [String] = ["default"]) {
        self.context = context
        self.serviceAccounts = serviceAccounts
    }

    /// kube-controller-manager runs this controller with one worker.
    public var workers: Int { 1 }

    public var watches: [LoopWatch] {
        [
            LoopWatch(.namespaces) { _, new in new.flatMap { $0["metadata"]["name"].string }.map { [$0] } ?? [] },
            // Only a deletion matters: the account may have to be recreated.
            LoopWatch(.serviceAccounts) { old, new in
                guard new == nil, let namespace = old?["metadata"]["namespace"].string else { return [] }
                return [namespace]
            },
        ]
    }

    public func sync(_ key: String) async -> SyncResult {
        guard let namespace = await context.lister(.namespaces).get(key),
              namespace["status"]["phase"].string == "Active" else { return .done }
        var failed = false
        for name in serviceAccounts where await context.lister(.serviceAccounts).get(namespace: key, name: name) == nil {
            let account: JSON = ["apiVersion": "v1", "kind": "ServiceAccount",
                                 "metadata": ["name": .string(name), "namespace": .string(key)]]
            do {
                _ = try await context.writer.create(.serviceAccounts, account)
            } catch {
                // Already there, or the namespace is going away: nothing to do.
                if error.code == 409 || ClusterLoopSupport.hasCause(error, "NamespaceTerminating") { continue }
                failed = true
            }
        }
        return failed ? .retry : .done
    }
}
