/// metrics.k8s.io/v1beta1, which kubectl does not embed (metrics-server defines it): written here,
/// in the shapes of k8s.io/metrics, beside the generated tables.
extension SchemaTables {
    static let metricsV1beta1: [TypeDescriptor] = [
        // No generated table has it: metrics' window is its only use here.
        TypeDescriptor("meta.v1.Duration", shape: .duration),
        TypeDescriptor("metrics.v1beta1.NodeMetrics", fields: [
            Field("apiVersion", .string),
            Field("kind", .string),
            Field("metadata", .ref("meta.v1.ObjectMeta")),
            Field("timestamp", .ref("meta.v1.Time")),
            Field("window", .ref("meta.v1.Duration")),
            Field("usage", .map(.ref("api.resource.Quantity"))),
        ]),
        TypeDescriptor("metrics.v1beta1.NodeMetricsList", fields: [
            Field("apiVersion", .string),
            Field("kind", .string),
            Field("metadata", .ref("meta.v1.ListMeta")),
            Field("items", .array(.ref("metrics.v1beta1.NodeMetrics"))),
        ]),
        TypeDescriptor("metrics.v1beta1.ContainerMetrics", fields: [
            Field("name", .string),
            Field("usage", .map(.ref("api.resource.Quantity"))),
        ]),
        TypeDescriptor("metrics.v1beta1.PodMetrics", fields: [
            Field("apiVersion", .string),
            Field("kind", .string),
            Field("metadata", .ref("meta.v1.ObjectMeta")),
            Field("timestamp", .ref("meta.v1.Time")),
            Field("window", .ref("meta.v1.Duration")),
            Field("containers", .array(.ref("metrics.v1beta1.ContainerMetrics"))),
        ]),
        TypeDescriptor("metrics.v1beta1.PodMetricsList", fields: [
            Field("apiVersion", .string),
            Field("kind", .string),
            Field("metadata", .ref("meta.v1.ListMeta")),
            Field("items", .array(.ref("metrics.v1beta1.PodMetrics"))),
        ]),
    ]

    static let metricsKinds: [KindEntry] = [
        KindEntry("metrics.k8s.io", "v1beta1", "NodeMetrics", "metrics.v1beta1.NodeMetrics"),
        KindEntry("metrics.k8s.io", "v1beta1", "NodeMetricsList", "metrics.v1beta1.NodeMetricsList"),
        KindEntry("metrics.k8s.io", "v1beta1", "PodMetrics", "metrics.v1beta1.PodMetrics"),
        KindEntry("metrics.k8s.io", "v1beta1", "PodMetricsList", "metrics.v1beta1.PodMetricsList"),
    ]

    /// The generated tables and the hand-written ones.
    static var everyTable: [[TypeDescriptor]] { allTables + [metricsV1beta1] }
    static var everyKind: [KindEntry] { kinds + metricsKinds }
}
