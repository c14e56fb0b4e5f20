import { randomBytes } from 'node:crypto';

/**
 * JSON with exact 64-bit integers. Node 20's JSON.parse turns 18446744073709551615 (RLIM_INFINITY,
 * common in rlimits) into 18446744073709552000, which Go's uint64 decoder in runc then rejects.
 * Integers beyond Number.MAX_SAFE_INTEGER therefore become `bigint`; everything else is plain JSON.
 */
export function parseJsonExact(text: string): unknown {
  // No run of 16 digits anywhere: every integer literal is below 10^15 < 2^53, so exact as a Number.
  if (!/\d{16}/.test(text)) return JSON.parse(text);
  const marker = `\u0000${randomBytes(6).toString('hex')}:`;
  let out = '';
  let last = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      // Skip the whole string literal, honouring escapes; numbers inside strings stay text.
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
      if (!m) {
        i++;
        continue;
      }
      const token = m[0];
      if (m[1] === undefined && m[2] === undefined && !Number.isSafeInteger(Number(token))) {
        out += text.slice(last, i) + JSON.stringify(marker + token);
        last = i + token.length;
      }
      i += token.length;
    } else {
      i++;
    }
  }
  out += text.slice(last);
  if (last === 0) return JSON.parse(text);
  return JSON.parse(out, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(marker) ? BigInt(value.slice(marker.length)) : value,
  );
}

/** JSON text (2-space indent, trailing newline) that writes `bigint` values as exact integers. */
export function stringifySpec(value: unknown): string {
  try {
    // No bigint in it (the usual spec): plain JSON.stringify, which throws a TypeError on a bigint.
    return JSON.stringify(value, null, 2) + '\n';
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
  }
  const marker = `\u0000${randomBytes(6).toString('hex')}:`;
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => (typeof v === 'bigint' ? marker + v.toString() : v),
    2,
  );
  // JSON.stringify escapes the NUL of the marker as \u0000.
  const escaped = JSON.stringify(marker).slice(1, -1).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  return text.replace(new RegExp(`"${escaped}(-?\\d+)"`, 'g'), '$1') + '\n';
}
