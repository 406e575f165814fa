/// Per-pod exponential back-off: 1 s after the first failed attempt, doubling to at most 10 s.
struct BackoffPolicy: Sendable {
    var initial: Double = 1
    var maximum: Double = 10

    func duration(attempts: Int) -> Double {
        if attempts <= 0 { return 0 }
        var duration = initial
        for _ in 1..<attempts {
            if duration > maximum - duration { return maximum }
            duration += duration
        }
        return min(duration, maximum)
    }
}
