/// Splits a DDL script into the statements a parameterised call can run one at a time.
enum SQLScript {
    /// The statements of `script`: a statement ends at a line whose code (before a `--` comment) ends with `;`,
    /// except inside a dollar-quoted PostgreSQL function body. Comment-only lines stay with their statement.
    static func statements(_ script: String) -> [String] {
        var statements: [String] = [], current: [Substring] = [], inBody = false
        for line in script.split(separator: "\n", omittingEmptySubsequences: false) {
            current.append(line)
            let code = codePart(line)
            if dollarQuotes(code) % 2 == 1 { inBody.toggle() }
            if !inBody, code.last(where: { !$0.isWhitespace }) == ";" {
                statements.append(current.joined(separator: "\n"))
                current = []
            }
        }
        if current.contains(where: { !codePart($0).allSatisfy(\.isWhitespace) }) { statements.append(current.joined(separator: "\n")) }
        return statements
    }

    /// How many `$$` a line holds.
    private static func dollarQuotes(_ code: String) -> Int {
        var count = 0, previous: Character = " "
        for c in code {
            if c == "$", previous == "$" { count += 1; previous = " "; continue }
            previous = c
        }
        return count
    }

    /// A line without its trailing `--` comment (a `--` inside a quoted literal is kept).
    private static func codePart(_ line: Substring) -> String {
        var inQuote = false, previous: Character = " "
        for index in line.indices {
            let c = line[index]
            if c == "'" { inQuote.toggle() }
            if !inQuote, c == "-", previous == "-" { return String(line[..<line.index(before: index)]) }
            previous = c
        }
        return String(line)
    }
}
