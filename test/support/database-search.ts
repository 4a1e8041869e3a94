import pg from "pg";

/** One row holding the searched text, and in which of its columns. */
export interface DatabaseHit {
  /** `schema.table` */
  table: string;
  columns: string[];
  /** the whole row as PostgreSQL renders it, to tell whose row it is */
  row: string;
}

export interface DatabaseSearch {
  /** Every row of every table not skipped that holds `needle` in any column that can. */
  find(needle: string): Promise<DatabaseHit[]>;
  close(): Promise<void>;
}

// Columns of these types cannot hold a name or a message; every other type (text, varchar,
// json, jsonb, arrays, enums, and whatever a later migration adds) is searched as text.
const TEXTLESS_TYPES = new Set([
  "smallint",
  "integer",
  "bigint",
  "numeric",
  "real",
  "double precision",
  "boolean",
  "date",
  "time without time zone",
  "time with time zone",
  "timestamp without time zone",
  "timestamp with time zone",
  "interval",
  "uuid",
]);

/**
 * Searches the whole database for a string, so that a proof of erasure covers tables it never
 * heard of: the tables are read from information_schema on every search, in every schema but
 * PostgreSQL's own. Binary columns are searched for the string's UTF-8 bytes. `skip` names
 * (`schema.table`) must each exist, so that a renamed table cannot silently escape the search.
 */
export async function openDatabaseSearch(
  url: string,
  options: { skip: readonly string[] },
): Promise<DatabaseSearch> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();

  async function columnsByTable() {
    const { rows } = await client.query<{
      table_schema: string;
      table_name: string;
      column_name: string;
      data_type: string;
    }>(
      `SELECT c.table_schema, c.table_name, c.column_name, c.data_type
         FROM information_schema.columns c
         JOIN information_schema.tables t USING (table_schema, table_name)
        WHERE t.table_type = 'BASE TABLE'
          AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
        ORDER BY 1, 2, c.ordinal_position`,
    );
    const tables = new Map<
      string,
      { schema: string; name: string; columns: { name: string; type: string }[] }
    >();
    for (const row of rows) {
      const key = `${row.table_schema}.${row.table_name}`;
      const table = tables.get(key) ?? { schema: row.table_schema, name: row.table_name, columns: [] };
      table.columns.push({ name: row.column_name, type: row.data_type });
      tables.set(key, table);
    }
    const missing = options.skip.filter((name) => !tables.has(name));
    if (missing.length > 0) throw new Error(`skipped tables that do not exist: ${missing.join(", ")}`);
    return [...tables.entries()].filter(([key]) => !options.skip.includes(key));
  }

  return {
    async find(needle) {
      const hits: DatabaseHit[] = [];
      for (const [key, table] of await columnsByTable()) {
        const tests = table.columns
          .filter((column) => !TEXTLESS_TYPES.has(column.type))
          .map((column) => {
            const name = client.escapeIdentifier(column.name);
            const test =
              column.type === "bytea"
                ? `position(convert_to($1, 'UTF8') IN t.${name}) > 0`
                : `strpos(t.${name}::text, $1) > 0`;
            return { column: column.name, test };
          });
        if (tests.length === 0) continue;
        const matched = tests.map(
          ({ column, test }) => `CASE WHEN ${test} THEN ${client.escapeLiteral(column)} END`,
        );
        const { rows } = await client.query<{ row: string; columns: string[] }>(
          `SELECT t::text AS row, array_remove(ARRAY[${matched.join(", ")}]::text[], NULL) AS columns
             FROM ${client.escapeIdentifier(table.schema)}.${client.escapeIdentifier(table.name)} t
            WHERE ${tests.map(({ test }) => test).join(" OR ")}`,
          [needle],
        );
        for (const row of rows) hits.push({ table: key, columns: row.columns, row: row.row });
      }
      return hits;
    },
    close: () => client.end(),
  };
}

/** How many rows of each table the hits are, e.g. `{ "public.chat_log": 2 }`. */
export function rowsPerTable(hits: DatabaseHit[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const hit of hits) counts[hit.table] = (counts[hit.table] ?? 0) + 1;
  return counts;
}
