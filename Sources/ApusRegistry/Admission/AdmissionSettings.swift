/// The API server's admission flags (kube-apiserver's names).
public struct AdmissionSettings: Sendable {
    /// `--default-not-ready-toleration-seconds`: how long a new pod tolerates the
    /// `node.kubernetes.io/not-ready:NoExecute` taint unless it says otherwise.
    public var notReadyTolerationSeconds: Int64
    /// `--default-unreachable-toleration-seconds`, the same for `node.kubernetes.io/unreachable`.
    public var unreachableTolerationSeconds: Int64

    public init(notReadyTolerationSeconds: Int64 = 300, unreachableTolerationSeconds: Int64 = 300) {
        self.notReadyTolerationSeconds = notReadyTolerationSeconds
        self.unreachableTolerationSeconds = unreachableTolerationSeconds
    }
}
