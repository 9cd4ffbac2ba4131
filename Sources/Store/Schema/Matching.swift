import Wire

extension Conditions {
    /// Whether `runtime` meets these conditions: it is of the colony, it is one of the target
    /// runtimes when any are named, its type is the one asked for when one is, and it offers
    /// at least the memory, cores and GPUs asked for.
    public func admit(_ runtime: Runtime) -> Bool {
        guard runtime.colonyId == colonyId else { return false }
        guard runtimeType.isEmpty || runtimeType == runtime.type else { return false }
        guard runtime.mem >= mem, runtime.cores >= cores, runtime.gpus >= gpus else {
            return false
        }
        if runtimeIds.isEmpty { return true }
        return runtimeIds.contains(runtime.id)
    }
}
