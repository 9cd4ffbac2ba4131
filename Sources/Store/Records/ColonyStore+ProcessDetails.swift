import Wire

/// What `ColonyStore.writeProcessDetails` found.
public enum ProcessDetailsOutcome: Sendable, Equatable {
    /// The process and its attributes are in the writer.
    case written
    /// The caller is no approved runtime; nothing was written.
    case callerNotApproved
    /// The caller's colony holds no such process; nothing was written.
    case notVisible
}

extension ColonyStore {
    /// Writes the body of the get-process reply (the process, then its attributes as a
    /// list) for the approved runtime `caller`, in one read transaction, copying the stored
    /// records straight from the memory map: they are already in wire form, so nothing is
    /// decoded but the caller's own runtime record. This is the server's most frequent read.
    public func writeProcessDetails(
        _ id: ID, for caller: ID, into writer: inout WireWriter
    ) throws(StoreError) -> ProcessDetailsOutcome {
        try lookup { l throws(StoreError) in
            guard let runtime = try l.runtime(caller), runtime.state == .approved else {
                return .callerNotApproved
            }
            guard let process = try l.txn.get(id.bytes, in: l.db[record: .processes]) else {
                return .notVisible
            }
            guard let colony = Process.colonyId(inEncoded: process.unsafeRawBuffer) else {
                throw .corrupt("process record \(id.hex) of \(process.count) bytes")
            }
            guard colony == runtime.colonyId else { return .notVisible }

            writer.raw(process.unsafeRawBuffer)
            let attributes = try l.ids(in: .attributesByProcess, prefix: IndexKey.prefix(id))
            writer.varint(attributes.count)
            for attribute in attributes {
                guard let stored = try l.txn.get(attribute.bytes, in: l.db[record: .attributes])
                else {
                    throw .corrupt("attributesByProcess names missing attribute \(attribute.hex)")
                }
                writer.raw(stored.unsafeRawBuffer)
            }
            return .written
        }
    }
}
