import Wire

extension Records {
    /// Attaches an attribute to a running process on behalf of the runtime running it, with
    /// the same refusals as `close` (`notFound`, `wrongState`, `notAssignedRuntime`,
    /// `staleAttempt`). The id is `Attribute.id(processId:type:key:)`, so adding a key
    /// again replaces its value. Refused with `limitExceeded` when the process already has
    /// `Limits.maxAttributesPerProcess` attributes and this is a new key.
    public func addAttribute(
        _ new: NewAttribute, runtime: ID, now: Int64
    ) throws(StoreError) -> Result<Attribute, Refusal> {
        if case .failure(let refusal) = try runningProcess(
            new.processId, runtime: runtime, attempt: new.attempt)
        {
            return .failure(refusal)
        }

        let id = Attribute.id(processId: new.processId, type: new.type, key: new.key)
        if try !exists(.attributes, id) {
            let held = try lookup.ids(
                in: .attributesByProcess, prefix: IndexKey.prefix(new.processId),
                limit: Limits.maxAttributesPerProcess)
            guard held.count < Limits.maxAttributesPerProcess else {
                return .failure(
                    Refusal(
                        .limitExceeded,
                        "process \(new.processId.hex) has \(held.count) attributes, the most"))
            }
        }

        let attribute = Attribute(
            id: id, processId: new.processId, attempt: new.attempt, type: new.type,
            key: new.key, value: new.value, addedAt: now)
        try store(attribute)
        return .success(attribute)
    }
}
