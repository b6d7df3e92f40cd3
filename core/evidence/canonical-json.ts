// Canonical JSON: one exact text for one value, so a hash or signature over it can be
// recomputed by anyone. Follows RFC 8785 (JCS) for the values we use: keys sorted by UTF-16
// code units, no whitespace, ECMAScript number and string serialisation. Dates become their
// ISO 8601 UTC text, the same text JSON.stringify gives them.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      // RFC 8785 §3.2.2.3: NaN and Infinity have no JSON form; refuse rather than write "null".
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON cannot hold the number ${value}`);
      return JSON.stringify(value);
    case 'object':
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      return `{${Object.keys(value as object)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
        .join(',')}}`;
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}
