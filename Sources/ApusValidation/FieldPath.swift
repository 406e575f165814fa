/// A field path printed the way Kubernetes' `field.Path` prints it: `spec.containers[0].image`,
/// `data[my.key]`, `metadata.labels`.
struct FieldPath: Sendable, Hashable, CustomStringConvertible {
    let description: String

    init(_ root: String = "") { description = root }

    func child(_ names: String...) -> FieldPath {
        var text = description
        for name in names { text = text.isEmpty ? name : text + "." + name }
        return FieldPath(text)
    }

    func index(_ i: Int) -> FieldPath { FieldPath(description + "[\(i)]") }

    func key(_ k: String) -> FieldPath { FieldPath(description + "[\(k)]") }
}
