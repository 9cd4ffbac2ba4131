import Wire

/// The byte layouts of every index key. Each is built from fixed-size parts, so byte order
/// is the intended order and no separator can be forged by a name:
///
/// | index                | key                                                          |
/// |----------------------|--------------------------------------------------------------|
/// | runtimesByColony     | colony id · runtime id                                       |
/// | queue                | colony id · priority (descending) · submitted (asc.) · id    |
/// | byState              | colony id · state · time entered · process id                |
/// | runningByDeadline    | deadline · process id                                        |
/// | waitingByDeadline    | max-wait deadline · process id                               |
/// | byRuntime            | runtime id · process id                                      |
/// | attributesByProcess  | process id · attribute id                                    |
/// | counts               | colony id · state                                            |
///
/// Ids are 32 bytes. Times are i64 nanoseconds with the sign bit flipped, so that byte
/// order is numeric order for negative values too. The process id at the end of a key is the
/// unique tiebreaker.
enum IndexKey {
    static func runtimeOfColony(_ colony: ID, _ runtime: ID) -> [UInt8] {
        var k = KeyBuilder(capacity: 64)
        k.id(colony)
        k.id(runtime)
        return k.bytes
    }

    static func queue(_ colony: ID, priority: Int32, submittedAt: Int64, process: ID) -> [UInt8] {
        var k = KeyBuilder(capacity: 76)
        k.id(colony)
        k.priorityDescending(priority)
        k.time(submittedAt)
        k.id(process)
        return k.bytes
    }

    static func byState(_ colony: ID, _ state: ProcessState, at time: Int64, process: ID)
        -> [UInt8]
    {
        var k = KeyBuilder(capacity: 73)
        k.id(colony)
        k.u8(state.rawValue)
        k.time(time)
        k.id(process)
        return k.bytes
    }

    static func deadline(_ time: Int64, process: ID) -> [UInt8] {
        var k = KeyBuilder(capacity: 40)
        k.time(time)
        k.id(process)
        return k.bytes
    }

    static func pair(_ a: ID, _ b: ID) -> [UInt8] {
        var k = KeyBuilder(capacity: 64)
        k.id(a)
        k.id(b)
        return k.bytes
    }

    static func count(_ colony: ID, _ state: ProcessState) -> [UInt8] {
        var k = KeyBuilder(capacity: 33)
        k.id(colony)
        k.u8(state.rawValue)
        return k.bytes
    }

    /// The prefix every key of `id` starts with.
    static func prefix(_ id: ID) -> [UInt8] { id.bytes }

    static func prefix(_ colony: ID, _ state: ProcessState) -> [UInt8] {
        count(colony, state)
    }

    /// The last 32 bytes of a key: the id every index key ends with.
    static func trailingID<C: Collection>(_ key: C) -> ID? where C.Element == UInt8 {
        guard key.count >= 32 else { return nil }
        return ID(bytes: key.suffix(32))
    }

    /// The time at `offset` in a key.
    static func time<C: Collection>(in key: C, at offset: Int) -> Int64? where C.Element == UInt8,
        C.Index == Int
    {
        guard key.count >= offset + 8 else { return nil }
        var v: UInt64 = 0
        for i in 0..<8 { v = v << 8 | UInt64(key[key.startIndex + offset + i]) }
        return Int64(bitPattern: v ^ (1 << 63))
    }
}

/// Appends the fixed-size parts of an index key.
struct KeyBuilder {
    var bytes: [UInt8]

    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    mutating func id(_ v: ID) { v.withBytes { bytes.append(contentsOf: $0) } }

    mutating func u8(_ v: UInt8) { bytes.append(v) }

    mutating func u64(_ v: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(shift)))
        }
    }

    /// Flipping the sign bit maps Int64.min...Int64.max onto 0...UInt64.max in order.
    mutating func time(_ t: Int64) { u64(UInt64(bitPattern: t) ^ (1 << 63)) }

    /// Higher priorities must come first: store the complement of the order-preserving form.
    mutating func priorityDescending(_ p: Int32) {
        let ascending = UInt32(bitPattern: p) ^ (1 << 31)
        let v = ~ascending
        for shift in stride(from: 24, through: 0, by: -8) {
            bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(shift)))
        }
    }
}
