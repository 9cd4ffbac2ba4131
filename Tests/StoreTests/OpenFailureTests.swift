import Foundation
import XCTest

@testable import Store

final class OpenFailureTests: StoreTestCase {
    func testAFolderFromANewerFormatIsRefused() throws {
        do {
            let (environment, committer, _) = try open()
            let meta = environment.metaDatabase
            try committer.write { txn throws(StoreError) in
                let newer = LMDBEnvironment.formatVersion + 1
                let value = (0..<4).map { UInt8(truncatingIfNeeded: newer >> (8 * $0)) }
                try txn.put(value, for: LMDBEnvironment.formatKey, in: meta)
            }
            committer.close()
            environment.close()
        }

        let supported = LMDBEnvironment.formatVersion
        assertThrows(.newerFormat(found: supported + 1, supported: supported)) {
            () throws(StoreError) in
            try LMDBEnvironment(path: folder, databases: ["items"])
        }
    }

    /// Tests run as root, which ignores folder permissions, so chmod 0500 proves nothing.
    /// sysfs refuses to create files even for root (EACCES), which stands in for a
    /// read-only folder.
    func testAFolderThatCannotBeWrittenGivesReadOnly() throws {
        let path = "/sys/kernel"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
              isDirectory.boolValue
        else {
            throw XCTSkip("no sysfs here to stand in for a read-only folder")
        }

        assertThrows(.readOnly(path: path)) { () throws(StoreError) in
            try LMDBEnvironment(path: path, databases: [])
        }
    }

    func testAFileWhereTheFolderShouldBeIsReported() throws {
        XCTAssertTrue(FileManager.default.createFile(atPath: folder, contents: Data([1])))

        assertThrows(.notADirectory(path: folder)) { () throws(StoreError) in
            try LMDBEnvironment(path: folder, databases: [])
        }
        assertThrows(.notADirectory(path: folder + "/below")) { () throws(StoreError) in
            try LMDBEnvironment(path: folder + "/below", databases: [])
        }
    }

    func testADataFileThatIsNotLMDBIsReportedCorrupt() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let garbage = Data(repeating: 0x41, count: 16 << 10)
        let dataFile = folder + "/data.mdb"
        XCTAssertTrue(FileManager.default.createFile(atPath: dataFile, contents: garbage))

        do {
            _ = try LMDBEnvironment(path: folder, databases: [])
            XCTFail("opened a folder whose data file is garbage")
        } catch {
            guard case .corrupt = error else { return XCTFail("expected .corrupt, got \(error)") }
        }
    }

    func testBadOptionsAndNamesAreRejectedBeforeTouchingTheDisk() throws {
        let small = EnvironmentOptions(initialMapSize: 1 << 20, maximumMapSize: 1 << 10)
        XCTAssertThrowsError(try LMDBEnvironment(path: folder, databases: [], options: small))
        XCTAssertThrowsError(try LMDBEnvironment(path: folder, databases: ["meta"]))
        XCTAssertThrowsError(try LMDBEnvironment(path: folder, databases: ["a", "a"]))
        XCTAssertThrowsError(try LMDBEnvironment(path: folder, databases: [""]))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder))
    }

    /// A full disk cannot be produced without mounting a tiny file system, so the mapping
    /// of the errno values the I/O calls return is checked directly.
    func testFileSystemErrorsMapToCasesNamingThePath() {
        XCTAssertEqual(LMDB.error(code: ENOSPC, call: "mdb_txn_commit", path: "/d"),
                       .diskFull(path: "/d"))
        XCTAssertEqual(LMDB.error(code: EDQUOT, call: "mdb_txn_commit", path: "/d"),
                       .diskFull(path: "/d"))
        XCTAssertEqual(LMDB.error(code: EROFS, call: "mdb_env_open", path: "/d"),
                       .readOnly(path: "/d"))
        XCTAssertEqual(LMDB.error(code: EACCES, call: "mdb_env_open", path: "/d"),
                       .readOnly(path: "/d"))
        XCTAssertEqual(LMDB.error(code: EACCES, call: "mdb_put", path: nil),
                       .lmdb(code: EACCES, call: "mdb_put"))
        XCTAssertEqual(LMDB.error(code: EIO, call: "mdb_txn_commit", path: "/d"),
                       .lmdb(code: EIO, call: "mdb_txn_commit"))
    }
}
