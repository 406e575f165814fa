import ApusMachinery
import Testing
@testable import ApusProtobuf

/// The descriptor tables hang together: every reference resolves and nothing collides.
struct SchemaTests {
    @Test func messageNamesAreUnique() {
        #expect(ProtobufSchema.messages.count == ProtobufSchema.allMessages.count)
    }

    @Test func everyReferencedMessageExists() {
        for message in ProtobufSchema.allMessages {
            for field in message.fields {
                if case .message(let name) = field.type {
                    #expect(ProtobufSchema.messages[name] != nil, "\(message.name).\(field.jsonName) -> \(name)")
                }
            }
        }
        for kind in ProtobufSchema.kinds {
            #expect(ProtobufSchema.messages[kind.message] != nil, "\(kind.kind) -> \(kind.message)")
        }
    }

    @Test func fieldNumbersAndJSONNamesAreUniqueIncludingInlinedFields() {
        for message in ProtobufSchema.allMessages {
            #expect(message.fieldsByNumber.count == message.fields.count, "\(message.name) repeats a field number")
            let names = jsonNames(of: message)
            #expect(Set(names).count == names.count, "\(message.name) has clashing JSON names: \(names)")
        }
    }

    @Test func inlineFieldsAreMessagesAndRulesFitTheirTypes() {
        for message in ProtobufSchema.allMessages {
            for field in message.fields {
                let context = "\(message.name).\(field.jsonName)"
                switch field.rule {
                case .inline:
                    if case .message = field.type {} else { Issue.record("\(context) is inline but not a message") }
                case .keepZero:
                    #expect(field.type.isScalar, "\(context): keepZero only means something for scalars")
                case .repeated:
                    if case .map = field.type { Issue.record("\(context): a map is never repeated") }
                case .omitEmpty:
                    break
                }
            }
        }
    }

    @Test func kindsAreUnique() {
        #expect(ProtobufSchema.kindsByKey.count == ProtobufSchema.kinds.count)
    }

    private func jsonNames(of message: MessageDescriptor) -> [String] {
        message.fields.flatMap { field -> [String] in
            if field.rule == .inline, case .message(let name) = field.type, let inlined = ProtobufSchema.messages[name] {
                return jsonNames(of: inlined)
            }
            return [field.jsonName]
        }
    }
}
