import type { Database } from "@dsc/db";
import type { ChatTurn } from "./chat-log-writer.ts";
import { findErasureStarts, tombstoneDigest } from "./erasure-tombstones.ts";

/** The tombstones that can hold a turn back: its end user's, and its organization's. */
function digestsOf(turn: ChatTurn): string[] {
  const digests = [
    tombstoneDigest({ type: "ORGANIZATION", organizationId: turn.organizationId, id: turn.organizationId }),
  ];
  if (turn.endUserId !== null) {
    digests.push(
      tombstoneDigest({ type: "END_USER", organizationId: turn.organizationId, id: turn.endUserId }),
    );
  }
  return digests;
}

/**
 * Splits `entries` into those whose turn may be written and those that must be dropped: a turn
 * recorded no later than the start of its end user's or its organization's erasure belongs to
 * what the erasure removes, and writing it after the erasure (under a key made afresh, as the
 * erasure destroyed the old one) would keep it. One query for the distinct subjects of the lot.
 * Turns recorded after the start are the organization's new traffic and are kept.
 */
export async function dropErasedTurns<T>(
  db: Database,
  entries: readonly T[],
  view: (entry: T) => { turn: ChatTurn; recordedAt: Date },
): Promise<{ kept: T[]; dropped: number }> {
  if (entries.length === 0) return { kept: [], dropped: 0 };
  const starts = await findErasureStarts(
    db,
    entries.flatMap((entry) => digestsOf(view(entry).turn)),
  );
  if (starts.size === 0) return { kept: [...entries], dropped: 0 };
  const kept = entries.filter((entry) => {
    const { turn, recordedAt } = view(entry);
    return digestsOf(turn).every((digest) => {
      const start = starts.get(digest);
      return start === undefined || recordedAt > start;
    });
  });
  return { kept, dropped: entries.length - kept.length };
}
