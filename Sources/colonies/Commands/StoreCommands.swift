import CLICore
import Foundation
import Store

extension CommandGroup {
    /// `colonies store ...`: look inside a data folder.
    static var store: CommandGroup {
        CommandGroup("store", "Inspect a server's data folder.", commands: [.storeCheck])
    }
}

extension Command {
    static var storeCheck: Command {
        Command(
            "check", "Check that every index agrees with the records it points at.",
            details: """
                Reads the whole store in one read transaction: every index entry must point at \
                a record that agrees with it, every record must have exactly the index entries \
                it should, and the per-state counts must match. Prints a summary, and each \
                problem found; exits 1 when there is any. Safe while a server runs on the folder.
                """,
            flags: [
                .string(
                    "data", "The data folder.", valueName: "DIR", env: "COLONIES_DATA",
                    default: "colonies-data"),
                CommonFlags.json,
            ],
            run: StoreCommands.check)
    }
}

enum StoreCommands {
    static func check(_ invocation: Invocation) throws(CommandError) {
        let path = invocation.flags.string("data")
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path + "/data.mdb", isDirectory: &isFolder),
            !isFolder.boolValue
        else {
            throw .failed("\(path) holds no Colonies store (no data.mdb); give the server's --data")
        }

        let store: ColonyStore
        do {
            store = try ColonyStore.open(path: path)
        } catch {
            throw .failed("cannot open the store in \(path): \(error)")
        }
        defer { store.close() }

        let report: CheckReport
        do { report = try store.check() } catch { throw .failed("check failed: \(error)") }

        if invocation.wantsJSON {
            try invocation.printJSON([
                "records": report.recordsScanned, "indexentries": report.indexEntriesScanned,
                "problems": report.problems, "problemcount": report.problemCount,
                "passed": report.passed,
            ])
        } else {
            for problem in report.problems { invocation.console.write("problem: \(problem)") }
            let verdict = report.passed ? "ok" : "\(report.problemCount) problem(s)"
            invocation.console.write(
                "\(path): \(report.recordsScanned) records, "
                    + "\(report.indexEntriesScanned) index entries: \(verdict)")
        }
        if !report.passed {
            throw .failed("the store in \(path) is inconsistent")
        }
    }
}
