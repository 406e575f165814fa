import ApusMachinery
import ApusPrinters
import ApusRegistry
import HTTPTypes
import Hummingbird

/// What the client asked to get back: plain objects, or server-printed Tables (kubectl get).
struct OutputFormat {
    let asTable: Bool
    let includeObject: IncludeObject
    let def: ResourceDefinition
    let now: Double
    /// Chosen once per request (a watch prints every event with it).
    let printer: TablePrinter

    init(accept: String?, query: QueryParameters, def: ResourceDefinition, now: Double) {
        let accept = accept ?? ""
        asTable = accept.contains("as=Table")
        includeObject = query["includeObject"].flatMap(IncludeObject.init(rawValue:)) ?? .metadata
        self.def = def
        self.now = now
        printer = asTable ? Self.printer(for: def) : TablePrinters.default
    }

    static func printer(for def: ResourceDefinition) -> TablePrinter {
        if def.isCustom { return def.printerColumns.isEmpty ? TablePrinters.default : TablePrinters.customResource(additionalPrinterColumns: def.printerColumns) }
        return TablePrinters.printer(group: def.group, resource: def.resource)
    }

    func table(_ objects: [JSON], resourceVersion: String?, continueToken: String?, headers: Bool = true) -> JSON {
        TablePrinters.table(printer: printer, objects: objects, now: now, resourceVersion: resourceVersion,
                            continueToken: continueToken, includeHeaders: headers, includeObject: includeObject)
    }

    func single(_ object: JSON, status: HTTPResponse.Status = .ok) -> Response {
        if asTable {
            return Responses.object(table([object], resourceVersion: object["metadata"]["resourceVersion"].string, continueToken: nil),
                                    status: status, contentType: Responses.table)
        }
        return Responses.object(object, status: status)
    }

    /// A cached object: its stored bytes are already the JSON answer.
    func single(_ cached: CachedObject) -> Response {
        asTable ? single(cached.object) : Responses.bytes(cached.bytes)
    }

    func list(_ page: ListPage) -> Response {
        if asTable {
            return Responses.object(table(page.items.map(\.object), resourceVersion: page.resourceVersion, continueToken: page.continueToken),
                                    contentType: Responses.table)
        }
        return Responses.bytes(Responses.list(kind: def.listKind, apiVersion: def.groupVersion, items: page.items.map(\.bytes),
                                              resourceVersion: page.resourceVersion, continueToken: page.continueToken,
                                              remainingItemCount: page.remainingItemCount))
    }
}
