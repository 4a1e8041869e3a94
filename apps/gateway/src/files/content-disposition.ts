/**
 * `attachment` with the file's name, safe for any name a user chose (RFC 6266): `filename*`
 * carries it exactly (UTF-8, percent-encoded per RFC 8187), and `filename` an ASCII stand-in
 * for old clients in which quotes, backslashes, controls and non-ASCII become `_`.
 */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/gu, "_");
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc8187(filename)}`;
}

/** Percent-encodes everything but RFC 8187's attr-char. */
function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
