/// What `ColonyStore.check()` found.
public struct CheckReport: Sendable, Equatable {
    /// Records read from the colonies, runtimes, processes and attributes databases.
    public var recordsScanned: Int
    /// Entries read from the index and counts databases.
    public var indexEntriesScanned: Int
    /// Readable descriptions of the first `maxListed` problems found.
    public var problems: [String]
    /// How many problems were found, listed or not.
    public var problemCount: Int

    /// The most problems listed; the rest are only counted.
    public static let maxListed = 100

    public init() {
        recordsScanned = 0
        indexEntriesScanned = 0
        problems = []
        problemCount = 0
    }

    /// True when the store is consistent.
    public var passed: Bool { problemCount == 0 }

    mutating func report(_ problem: String) {
        problemCount += 1
        if problems.count < Self.maxListed {
            problems.append(problem)
        }
    }
}
