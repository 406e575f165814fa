import ApusControllerKit

/// The control loops this build has, by Kubernetes' controller names.
enum ControllerRegistry {
    static func loops(context: ControllerContext) -> [any ControlLoop] {
        []
    }

    static var loopNames: [String] { [] }
}
