/// The horizontal pod autoscaler's recent replica recommendations per HPA, for the downscale
/// stabilization window (scale down only to the highest recommendation of the window).
actor HPARecommendations {
    private var history: [String: [(replicas: Int64, at: Double)]] = [:]

    /// recordInitialRecommendation: the current scale counts as the first recommendation.
    func recordInitial(_ key: String, replicas: Int64, now: Double) {
        if history[key] == nil { history[key] = [(replicas, now)] }
    }

    /// stabilizeRecommendation: records `proposal` (reusing a sample older than the window) and
    /// returns the highest recommendation within the window.
    func stabilize(_ key: String, proposal: Int64, window: Double, now: Double) -> Int64 {
        var samples = history[key] ?? []
        var highest = proposal
        var stale: Int?
        for (index, sample) in samples.enumerated() {
            if sample.at < now - window { stale = index } else { highest = max(highest, sample.replicas) }
        }
        if let stale { samples[stale] = (proposal, now) } else { samples.append((proposal, now)) }
        history[key] = samples
        return highest
    }

    func forget(_ key: String) { history[key] = nil }
}
