import ApusMachinery
import Foundation

/// The machine's clock, for running loops (tests use ManualClock).
public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Double { Date().timeIntervalSince1970 }
}
