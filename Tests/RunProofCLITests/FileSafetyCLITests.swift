import Foundation
import Testing
import RunProofCore
import RunProofStore
import RunProofSamples

/// Never destroy a user's file: outputs refuse to overwrite, never touch the input, and are written whole.
@Suite(.serialized) struct FileSafetyCLITests {
    /// A SQLite database with one sealed run (6 steps), and its bytes.
    func database() throws -> (path: String, bytes: Data) {
        let db = CLI.path("safe-\(UUID().uuidString).sqlite")
        #expect(try CLI.run("init", "--db", db).status == 0)
        let store = try openStore(db)
        try SampleData.insertTrace(store, trace: "trace-s", run: "run-s", tenant: "tenant-s")
        try SampleData.insertSteps(store, trace: "trace-s", 0 ..< 6)
        #expect(try CLI.run("seal", "--db", db, "--tenant", "tenant-s", "--run", "run-s").status == 0)
        return (db, try Data(contentsOf: URL(fileURLWithPath: db)))
    }

    /// Runs the binary with a 2 KiB file size limit (a full disk, for the writes it makes); returns its status.
    func withFileSizeLimit(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -f 2; exec \"$0\" \"$@\"", CLI.binary] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// The files in the folder of `path` whose names start with `.name.` (an output's temporary file).
    func leftovers(_ path: String) throws -> [String] {
        let url = URL(fileURLWithPath: path)
        return try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
            .filter { $0.hasPrefix("." + url.lastPathComponent + ".") }
    }

    @Test func theDatabaseBeingReadIsNeverAnOutput() throws {
        let (db, original) = try database()
        for force in [[], ["--force"]] {
            let slip = try CLI.run(["export", "--db", db, "--tenant", "tenant-s", "--run", "run-s", "-o", db] + force)
            #expect(slip.status == 64 && slip.stderr.contains(db), "\(slip.stderr)")
            let proof = try CLI.run(["prove", "--db", db, "--tenant", "tenant-s", "--run", "run-s", "--step", "1", "-o", db] + force)
            #expect(proof.status == 64)
        }
        let sample = try CLI.run("sample", "--steps", "3", "-o", db)
        #expect(sample.status == 64 && sample.stderr.contains("already exists"))
        #expect(try bytes(db) == original, "the database is byte-identical")
        #expect(try CLI.run("verify", "--db", db, "--tenant", "tenant-s", "--run", "run-s").status == 0)
    }

    @Test func anExistingOutputIsRefusedUnlessForcedAndThenReplacedWhole() throws {
        let (db, _) = try database()
        let existing = CLI.path("safe-\(UUID().uuidString).ndjson")
        try Data("precious evidence\n".utf8).write(to: URL(fileURLWithPath: existing))
        for command in [["export", "--db", db, "--tenant", "tenant-s", "--run", "run-s", "-o", existing],
                        ["prove", "--db", db, "--tenant", "tenant-s", "--run", "run-s", "--step", "2", "-o", existing],
                        ["sample", "--steps", "2", "-o", existing]] {
            let refused = try CLI.run(command)
            #expect(refused.status == 64 && refused.stderr.contains(existing) && refused.stderr.contains("--force"), "\(command[0]): \(refused.stderr)")
            #expect(try bytes(existing) == Data("precious evidence\n".utf8))
        }
        let forced = try CLI.run("export", "--db", db, "--tenant", "tenant-s", "--run", "run-s", "-o", existing, "--force")
        #expect(forced.status == 0)
        #expect(try CLI.run("verify", "--file", existing).status == 0)
        #expect(try leftovers(existing).isEmpty, "no temporary file is left behind")
    }

    @Test func aWriteCutShortLeavesTheOldFileIntact() throws {
        let (db, _) = try database()
        // Steps beyond the seal, so that seal --file has something to seal.
        try SampleData.insertSteps(try openStore(db), trace: "trace-s", 6 ..< 12)
        let existing = CLI.path("safe-\(UUID().uuidString).ndjson")
        #expect(try CLI.run("export", "--db", db, "--tenant", "tenant-s", "--run", "run-s", "-o", existing).status == 0)
        let before = try bytes(existing)
        #expect(before.count > 4096)
        // The file size limit stands for a full disk: the export is cut off (SIGXFSZ) after 2 KiB.
        let cut = try withFileSizeLimit(["export", "--db", db, "--tenant", "tenant-s", "--run", "run-s", "-o", existing, "--force"])
        #expect(cut != 0)
        #expect(try bytes(existing) == before, "the old export is byte-identical")
        // seal --file appends by replacing the file whole: cut short, it leaves the file as it was.
        let sealedCut = try withFileSizeLimit(["seal", "--file", existing])
        #expect(sealedCut != 0)
        #expect(try bytes(existing) == before)
        #expect(try CLI.run("seal", "--file", existing).status == 0, "and with room it seals")
        #expect(try bytes(existing).count > before.count && (try CLI.run("verify", "--file", existing).status == 0))
    }

    @Test func aDeviceIsNotAnOutput() throws {
        let (db, _) = try database()
        let full = try CLI.run("export", "--db", db, "--tenant", "tenant-s", "--run", "run-s", "-o", "/dev/full", "--force")
        #expect(full.status == 64 && full.stderr.contains("not a regular file"))
    }
}
