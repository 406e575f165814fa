import ApusMachinery

/// One pod's sample of a metric: the value in thousandths (cpu in millicores, memory in
/// milli-bytes), when it was taken and over which window (seconds).
public struct HPAPodSample: Sendable, Equatable {
    public var milliValue: Int64
    public var timestamp: Double
    public var window: Double

    public init(milliValue: Int64, timestamp: Double, window: Double = 30) {
        self.milliValue = milliValue
        self.timestamp = timestamp
        self.window = window
    }
}

/// Why a metric could not be read; `message` is what Kubernetes' metrics clients say
/// (e.g. "no metrics returned from resource metrics API").
public struct HPAMetricsError: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// Where the horizontal pod autoscaler reads metrics: the resource metrics API
/// (metrics.k8s.io), the custom metrics API (custom.metrics.k8s.io) and the external metrics API
/// (external.metrics.k8s.io). Pod samples are keyed by pod name.
public protocol HPAMetricsSource: Sendable {
    /// Usage of `resource` by the pods `selector` picks in `namespace` (of one container when given).
    func resourceMetrics(_ resource: String, namespace: String, selector: LabelSelector,
                         container: String?) async throws(HPAMetricsError) -> [String: HPAPodSample]
    /// A custom metric of each selected pod.
    func podsMetric(_ metric: String, namespace: String, selector: LabelSelector,
                    metricSelector: LabelSelector) async throws(HPAMetricsError) -> [String: HPAPodSample]
    /// A custom metric describing one object (`describedObject`: kind, name, apiVersion), in thousandths.
    func objectMetric(_ metric: String, namespace: String, describedObject: JSON,
                      metricSelector: LabelSelector) async throws(HPAMetricsError) -> Int64
    /// The values of an external metric, in thousandths.
    func externalMetric(_ metric: String, namespace: String, metricSelector: LabelSelector) async throws(HPAMetricsError) -> [Int64]
}

/// The metrics source while no metrics API is served: every read fails the way Kubernetes' clients
/// fail when they get nothing.
public struct HPAUnavailableMetrics: HPAMetricsSource {
    public init() {}

    public func resourceMetrics(_ resource: String, namespace: String, selector: LabelSelector,
                                container: String?) async throws(HPAMetricsError) -> [String: HPAPodSample] {
        throw HPAMetricsError("no metrics returned from resource metrics API")
    }

    public func podsMetric(_ metric: String, namespace: String, selector: LabelSelector,
                           metricSelector: LabelSelector) async throws(HPAMetricsError) -> [String: HPAPodSample] {
        throw HPAMetricsError("unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered")
    }

    public func objectMetric(_ metric: String, namespace: String, describedObject: JSON,
                             metricSelector: LabelSelector) async throws(HPAMetricsError) -> Int64 {
        throw HPAMetricsError("unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered")
    }

    public func externalMetric(_ metric: String, namespace: String, metricSelector: LabelSelector) async throws(HPAMetricsError) -> [Int64] {
        throw HPAMetricsError("unable to fetch metrics from external metrics API: no external metrics API (external.metrics.k8s.io) registered")
    }
}
