import { describe, expect, it } from "vitest";
import { endsInsideQuoteOrComment } from "./sql-script.ts";

/** What prisma's adapter does to a script: split at every `;`. */
const piecesOf = (script: string) => script.split(";");

/** The statements that run after the joining of prisma.config.ts. */
function rejoined(script: string): string[] {
  const statements: string[] = [];
  let unfinished: string | null = null;
  for (const piece of piecesOf(script)) {
    const text: string = unfinished === null ? piece : `${unfinished};${piece}`;
    if (endsInsideQuoteOrComment(text)) unfinished = text;
    else {
      unfinished = null;
      statements.push(text.trim());
    }
  }
  if (unfinished !== null) statements.push(unfinished.trim());
  return statements.filter((statement) => statement.length > 0);
}

describe("endsInsideQuoteOrComment", () => {
  it("finds plain statements finished", () => {
    expect(endsInsideQuoteOrComment("CREATE TABLE a (id int)")).toBe(false);
    expect(endsInsideQuoteOrComment("SELECT $1::text, 'it''s', \"odd\"\"name\"")).toBe(false);
    expect(endsInsideQuoteOrComment("-- a comment\nSELECT 1")).toBe(false);
  });

  it("finds a piece cut inside a comment, a string, an identifier or a dollar-quoted body", () => {
    expect(endsInsideQuoteOrComment("CREATE TABLE a (id int)\n-- one thing")).toBe(true);
    expect(endsInsideQuoteOrComment("SELECT 1 /* note")).toBe(true);
    expect(endsInsideQuoteOrComment("INSERT INTO t VALUES ('a")).toBe(true);
    expect(endsInsideQuoteOrComment("INSERT INTO t VALUES ('it''s")).toBe(true);
    expect(endsInsideQuoteOrComment('SELECT "semi')).toBe(true);
    expect(endsInsideQuoteOrComment("CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN PERFORM 1")).toBe(true);
    expect(endsInsideQuoteOrComment("CREATE FUNCTION f() AS $body$ BEGIN RETURN $$x$$")).toBe(true);
  });

  it("puts a migration cut by prisma back into its statements", () => {
    const migration = [
      "-- Organizations; their triggers tell gateways what changed.",
      "CREATE TABLE org (id text PRIMARY KEY, note text DEFAULT 'a;b');",
      "/* block comment; with a semicolon */",
      "CREATE FUNCTION notify() RETURNS trigger LANGUAGE plpgsql AS $$",
      "BEGIN",
      "  PERFORM pg_notify('changes', NEW.id); -- tell them; now",
      "  RETURN NEW;",
      "END",
      "$$;",
      'CREATE INDEX "idx;odd" ON org (id);',
    ].join("\n");
    expect(rejoined(migration)).toEqual([
      "-- Organizations; their triggers tell gateways what changed.\nCREATE TABLE org (id text PRIMARY KEY, note text DEFAULT 'a;b')",
      "/* block comment; with a semicolon */\nCREATE FUNCTION notify() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  PERFORM pg_notify('changes', NEW.id); -- tell them; now\n  RETURN NEW;\nEND\n$$",
      'CREATE INDEX "idx;odd" ON org (id)',
    ]);
  });
});
