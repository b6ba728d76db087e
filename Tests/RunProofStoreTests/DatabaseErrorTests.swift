import Testing
import RunProofCore
import RunProofSamples
import RunProofStore

/// Database and OpenSSL errors keep what the C library said in a form a caller can switch on: the SQLSTATE or the
/// SQLite extended result code, the failing statement (without its bound values), and a readable message.
@Suite struct DatabaseErrorTests {
    @Test(arguments: [Backend.postgres, .sqlite])
    func aUniqueViolationCarriesItsCodeAndStatement(backend: Backend) throws {
        let store = try backend.makeStore()
        _ = try addTrace(store, run: "run-secret-value", steps: 2)
        let trace = try store.traces(tenant: "tenant-a", run: "run-secret-value")[0]
        let header = try trace.header()
        let seal = StoredSeal(seal: Seal(header: header, length: 2, head: header.genesis, merkleRoot: header.genesis), frontier: [])
        try store.insert(seal)
        #expect { try store.insert(seal) } throws: { error in
            guard let error = error as? RunProofError, error.code == .conflict, let statement = error.statement else { return false }
            let origin = backend == .postgres ? RunProofError.Origin.postgres(sqlstate: "23505") : .sqlite(code: 2067) // SQLITE_CONSTRAINT_UNIQUE
            return error.origin == origin && statement.contains("INSERT INTO aos_trace_seals") && !statement.contains("run-secret-value")
        }
    }

    @Test(arguments: [Backend.postgres, .sqlite])
    func aSyntaxErrorNamesItsStatement(backend: Backend) throws {
        let store = try backend.makeStore()
        #expect { try store.query("SELEC 1 FROM aos_traces WHERE run_id = $1", ["r"]) } throws: { error in
            guard let error = error as? RunProofError, error.code == .database else { return false }
            let origin = backend == .postgres ? RunProofError.Origin.postgres(sqlstate: "42601") : .sqlite(code: 1) // SQLITE_ERROR
            return error.origin == origin && error.statement == "SELEC 1 FROM aos_traces WHERE run_id = $1" && error.underlying != nil
        }
    }

    @Test func aBadKeyCarriesOpenSSLsError() {
        #expect { try SigningKey(pem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n") } throws: { error in
            guard let error = error as? RunProofError else { return false }
            return error.code == .key && error.origin == .openssl && error.underlying?.isEmpty == false
        }
    }

    @Test func aMissingFileCarriesItsErrno() {
        #expect { try ExportFile.verify(path: "/nonexistent/runproof.ndjson") } throws: { error in
            (error as? RunProofError)?.origin == .errno(2) // ENOENT
        }
    }
}
