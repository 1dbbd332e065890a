import HubCore
import XCTest

final class SQLStatementSplitterTests: XCTestCase {
    func testSplitsOnSemicolonsOutsideQuotesCommentsAndDollarBodies() {
        let sql = """
            -- leading comment; not a statement
            CREATE TABLE a (note text DEFAULT 'x;y', "odd;name" int);
            /* block; comment */
            CREATE FUNCTION f() RETURNS trigger AS $body$
            BEGIN
              NEW.updated_at = now(); RETURN NEW;
            END
            $body$ LANGUAGE plpgsql;
            INSERT INTO a (note) VALUES ('it''s; fine');
            SELECT $1::int;
            """
        let statements = SQLStatementSplitter.split(sql)
        XCTAssertEqual(statements.count, 4, statements.joined(separator: "\n---\n"))
        XCTAssertTrue(statements[0].hasSuffix(#"CREATE TABLE a (note text DEFAULT 'x;y', "odd;name" int)"#))
        XCTAssertTrue(statements[1].contains("NEW.updated_at = now(); RETURN NEW;"))
        XCTAssertEqual(statements[2], "INSERT INTO a (note) VALUES ('it''s; fine')")
        XCTAssertEqual(statements[3], "SELECT $1::int")
    }

    func testTrailingCommentsAndBlankStatementsAreDropped() {
        XCTAssertEqual(SQLStatementSplitter.split("SELECT 1;;\n-- done\n"), ["SELECT 1"])
        XCTAssertEqual(SQLStatementSplitter.split(""), [])
    }
}
