import { randomFillSync } from "node:crypto";

/**
 * Rows in PostgreSQL's binary COPY format (the COPY command's "Binary Format" section): a
 * signature, each row as its field count and each field as a length and the value's bytes in
 * the type's binary form, and a trailer. Values travel as they are: no escaping, nothing for the
 * server to parse but the lengths.
 */

/** One field's value, by the column's type. */
export type CopyField =
  | { type: "text"; value: string | null }
  | { type: "bytea"; value: Uint8Array }
  | { type: "int4"; value: number }
  | { type: "timestamp"; value: Date }
  /**
   * a time-ordered (version 7, RFC 9562) UUID, made here: `at`'s milliseconds, then random bits.
   * Rows inserted in time order then add to the right edge of the key's index, not to a random
   * page of it (each first change of a page after a checkpoint logs the whole page).
   */
  | { type: "uuid-v7"; at: Date };

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
/** the signature, then flags and the header extension's length, both 0 */
const HEADER_BYTES = SIGNATURE.length + 8;
const TRAILER_BYTES = 2;
const NULL_LENGTH = -1;
/** microseconds from the Unix epoch to PostgreSQL's, 2000-01-01 */
const POSTGRES_EPOCH_MICROS = 946_684_800_000_000;
const TWO_TO_32 = 2 ** 32;
const INT4_MIN = -(2 ** 31);
const INT4_MAX = 2 ** 31 - 1;

/** Whether `value` fits an int4 column; a row with one that does not cannot be sent in binary. */
export const fitsInt4 = (value: number) => Number.isInteger(value) && value >= INT4_MIN && value <= INT4_MAX;

/** The bytes a field takes after its length word. */
function valueBytes(field: CopyField): number {
  switch (field.type) {
    case "text":
      return field.value === null ? 0 : Buffer.byteLength(field.value, "utf8");
    case "bytea":
      return field.value.byteLength;
    case "int4":
      return 4;
    case "timestamp":
      return 8;
    case "uuid-v7":
      return 16;
  }
}

/** Random bytes for a batch's UUIDs, made in one call, taken 10 at a time. */
interface UuidBytes {
  bytes: Buffer;
  taken: number;
}

/** Writes one field at `offset`; answers the offset after it. */
function writeField(
  buffer: Buffer,
  offset: number,
  field: CopyField,
  length: number,
  uuids: UuidBytes,
): number {
  if (field.type === "text" && field.value === null) return buffer.writeInt32BE(NULL_LENGTH, offset);
  let at = buffer.writeInt32BE(length, offset);
  switch (field.type) {
    case "text":
      at += buffer.write(field.value as string, at, "utf8");
      break;
    case "bytea":
      buffer.set(field.value, at);
      at += length;
      break;
    case "int4":
      if (!fitsInt4(field.value)) throw new RangeError(`${field.value} does not fit an int4 column`);
      at = buffer.writeInt32BE(field.value, at);
      break;
    case "timestamp": {
      // A timestamp without time zone holds the UTC wall time, as the columns do. Microseconds
      // stay exact in a double until the year 2255; written as two words, without a BigInt.
      const micros = field.value.getTime() * 1000 - POSTGRES_EPOCH_MICROS;
      const high = Math.floor(micros / TWO_TO_32);
      at = buffer.writeInt32BE(high, at);
      at = buffer.writeUInt32BE(micros - high * TWO_TO_32, at);
      break;
    }
    case "uuid-v7":
      buffer.writeUIntBE(field.at.getTime(), at, 6);
      uuids.bytes.copy(buffer, at + 6, uuids.taken, uuids.taken + 10);
      uuids.taken += 10;
      buffer[at + 6] = ((buffer[at + 6] as number) & 0x0f) | 0x70;
      buffer[at + 8] = ((buffer[at + 8] as number) & 0x3f) | 0x80;
      at += 16;
      break;
  }
  return at;
}

/** The whole of a binary COPY's data for `rows`, each an array of fields in the COPY's column order. */
export function copyBinaryRows(rows: readonly (readonly CopyField[])[]): Buffer {
  // sized first, then written once: each text's UTF-8 length is computed once
  const lengths: number[][] = [];
  let size = HEADER_BYTES + TRAILER_BYTES;
  let uuidCount = 0;
  for (const row of rows) {
    const rowLengths = row.map(valueBytes);
    for (const field of row) if (field.type === "uuid-v7") uuidCount++;
    lengths.push(rowLengths);
    size += 2 + 4 * row.length;
    for (const length of rowLengths) size += length;
  }
  const buffer = Buffer.allocUnsafe(size);
  const uuids = { bytes: randomFillSync(Buffer.allocUnsafe(10 * uuidCount)), taken: 0 };
  let at = SIGNATURE.copy(buffer, 0);
  at = buffer.writeInt32BE(0, at);
  at = buffer.writeInt32BE(0, at);
  for (const [index, row] of rows.entries()) {
    at = buffer.writeInt16BE(row.length, at);
    const rowLengths = lengths[index] as number[];
    for (const [column, field] of row.entries())
      at = writeField(buffer, at, field, rowLengths[column] as number, uuids);
  }
  at = buffer.writeInt16BE(-1, at);
  if (at !== size) throw new Error(`binary COPY data of ${at} bytes, sized ${size}`);
  return buffer;
}
