import type { Database } from "@dsc/db";
import type { Clock } from "../time/clock.ts";
import { open, seal } from "./aead.ts";
import { unwrap } from "./data-keys.ts";
import { MasterKeyError, type MasterKeyFailure } from "./master-key-error.ts";
import type { MasterKey, MasterKeyring } from "./master-keyring.ts";

const CHECK_TEXT = Buffer.from("dsc master key check", "utf8");
const checkContext = (version: number) => `master-key-check:${version}`;

/**
 * Tells at start-up whether this process's master keys are the ones the database was written
 * with, before it seals anything: every version in ENCRYPTION_KEY must open its check value
 * (`master_key_check`), and every version that wraps a live data key or seals a webhook signing
 * secret must be in ENCRYPTION_KEY.
 * A version used for the first time gets its check value now, but only after it has opened one
 * of the data keys it already wraps, if any (a database from before the check, or a lost check
 * row, must not adopt a replaced key). Returns the failures, none when all is well.
 */
export async function checkMasterKeys(deps: {
  db: Database;
  clock: Clock;
  keyring: MasterKeyring;
}): Promise<MasterKeyFailure[]> {
  const failures: MasterKeyFailure[] = [];
  for (const version of deps.keyring.versions) {
    const master = deps.keyring.byVersion(version) as MasterKey;
    if (!(await opensCheckValue(deps, master))) failures.push({ version, reason: "wrong_key" });
  }
  for (const version of await versionsOfLiveDataKeys(deps.db)) {
    if (!deps.keyring.byVersion(version)) failures.push({ version, reason: "not_configured" });
  }
  return failures.sort((a, b) => a.version - b.version);
}

async function opensCheckValue(
  deps: { db: Database; clock: Clock; keyring: MasterKeyring },
  master: MasterKey,
) {
  const { version } = master;
  let stored = await deps.db.masterKeyCheck.findUnique({ where: { version } });
  if (!stored) {
    if (!(await opensOneOfItsDataKeys(deps, version))) return false;
    // several processes may start at once: the first check value written is the one kept
    await deps.db.masterKeyCheck.createMany({
      data: [
        {
          version,
          checkValue: new Uint8Array(seal(master.key, CHECK_TEXT, checkContext(version))),
          createdAt: deps.clock.now(),
        },
      ],
      skipDuplicates: true,
    });
    stored = await deps.db.masterKeyCheck.findUniqueOrThrow({ where: { version } });
  }
  try {
    return open(master.key, Buffer.from(stored.checkValue), checkContext(version)).equals(CHECK_TEXT);
  } catch {
    return false;
  }
}

async function opensOneOfItsDataKeys(deps: { db: Database; keyring: MasterKeyring }, version: number) {
  const sample = await deps.db.dataKey.findFirst({ where: { masterKeyVersion: version, destroyedAt: null } });
  if (!sample) return true;
  try {
    unwrap(deps.keyring, sample);
    return true;
  } catch (error) {
    if (error instanceof MasterKeyError) return false;
    throw error;
  }
}

/**
 * The distinct master key versions of live data keys, one index probe per version (a loose
 * index scan: a plain DISTINCT would read the whole index, one entry per end user), and of the
 * webhook signing secrets (current and a rotation's previous), which every delivery opens: few
 * rows, read whole.
 */
async function versionsOfLiveDataKeys(db: Database): Promise<number[]> {
  const rows = await db.$queryRaw<{ version: number }[]>`
    WITH RECURSIVE found AS (
      SELECT min(master_key_version) AS version FROM data_key WHERE destroyed_at IS NULL
      UNION ALL
      SELECT (SELECT min(master_key_version) FROM data_key
               WHERE master_key_version > found.version AND destroyed_at IS NULL)
        FROM found WHERE found.version IS NOT NULL)
    SELECT version FROM found WHERE version IS NOT NULL
    UNION
    SELECT secret_key_version FROM webhook_endpoint
    UNION
    SELECT previous_secret_key_version FROM webhook_endpoint
     WHERE previous_secret_key_version IS NOT NULL AND previous_secret_ciphertext IS NOT NULL`;
  return rows.map((row) => Number(row.version));
}
