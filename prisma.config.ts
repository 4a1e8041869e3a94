import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { defineConfig } from "prisma/config";

/**
 * Prisma's schema engine runs as WebAssembly through the pg driver adapter, so no native
 * engine has to be downloaded (see packages/db/README.md).
 *
 * @prisma/adapter-pg 6.19 cannot decode catalog columns of type `name` (oid 19) under the
 * WebAssembly engine (prisma/prisma#27403); presenting them as text lets `migrate diff` and
 * `migrate deploy` introspect the database.
 */
class CatalogPool extends pg.Pool {
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded query() signature
  override async query(...args: any[]): Promise<any> {
    // biome-ignore lint/suspicious/noExplicitAny: see above
    const result = await (super.query as any)(...args);
    for (const field of result?.fields ?? []) {
      if (field.dataTypeID === 19) field.dataTypeID = 25;
    }
    return result;
  }
}

type ScriptRunner = { executeScript(script: string): Promise<void>; onError(error: unknown): never };

/**
 * The adapter's `executeScript` splits a migration at every `;` and trims the pieces, which
 * breaks dollar-quoted function bodies and any comment or string holding a `;`. A migration
 * goes to PostgreSQL whole instead, as one simple query (as Prisma's native engine sends it):
 * the server parses it into statements, and runs them as one transaction.
 */
class WholeScriptPg extends PrismaPg {
  constructor(private readonly pool: pg.Pool) {
    super(pool);
  }

  override async connect() {
    const adapter = await super.connect();
    const runner = adapter as unknown as ScriptRunner;
    runner.executeScript = async (script) => {
      try {
        await this.pool.query(script);
      } catch (error) {
        runner.onError(error); // the adapter's error conversion, so Prisma reports the server's message
      }
    };
    return adapter;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL must be set for this Prisma command");
    return new WholeScriptPg(new CatalogPool({ connectionString, idleTimeoutMillis: 200 }));
  },
});
