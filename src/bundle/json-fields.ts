import type { Int64 } from './oci-types';

/** Throws the caller's typed error for one field: `fail("linux.devices[0].type", 'must be ...')`. */
export type Fail = (field: string, detail: string) => never;

export type JsonObject = Record<string, unknown>;

/** `a.b`, or `b` at the top level. */
export const sub = (field: string, key: string): string => (field ? `${field}.${key}` : key);
export const at = (field: string, index: number): string => `${field}[${index}]`;

/** A value quoted for an error message, kept short. */
export function show(value: unknown): string {
  const text =
    typeof value === 'bigint' ? value.toString() : value === undefined ? 'undefined' : JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return text.length > 80 ? text.slice(0, 79) + '…' : text;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * Typed reads of parsed JSON, each naming its field on failure. null and undefined read as
 * "absent" (Go's encoder wrote null for empty slices and maps), everything else must fit.
 */
export class Fields {
  constructor(
    private readonly fail: Fail,
    /** Detail for a key that `keys()` does not know, e.g. "is not a legacy 0.2.0 field". */
    private readonly unknownKey: string,
  ) {}

  error(field: string, detail: string): never {
    return this.fail(field, detail);
  }

  object(value: unknown, field: string): JsonObject | undefined {
    if (value === null || value === undefined) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) return this.fail(field, `must be an object (got ${show(value)})`);
    return value as JsonObject;
  }

  /** Rejects keys outside `allowed`, naming the first unknown one. */
  keys(obj: JsonObject, field: string, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) this.fail(sub(field, key), this.unknownKey);
    }
  }

  array(value: unknown, field: string): unknown[] | undefined {
    if (value === null || value === undefined) return undefined;
    if (!Array.isArray(value)) return this.fail(field, `must be an array (got ${show(value)})`);
    return value;
  }

  string(value: unknown, field: string): string | undefined {
    if (value === null || value === undefined) return undefined;
    if (typeof value !== 'string') return this.fail(field, `must be a string (got ${show(value)})`);
    return value;
  }

  bool(value: unknown, field: string): boolean | undefined {
    if (value === null || value === undefined) return undefined;
    if (typeof value !== 'boolean') return this.fail(field, `must be true or false (got ${show(value)})`);
    return value;
  }

  stringArray(value: unknown, field: string): string[] | undefined {
    const arr = this.array(value, field);
    return arr?.map((v, i) => {
      if (typeof v !== 'string') return this.fail(at(field, i), `must be a string (got ${show(v)})`);
      return v;
    });
  }

  /** An integer in [min, max] that fits a JS number (ids, modes, device numbers). */
  int(value: unknown, field: string, min: number, max: number): number | undefined {
    if (value === null || value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      return this.fail(field, `must be an integer from ${min} to ${max} (got ${show(value)})`);
    }
    return value;
  }

  uint32(value: unknown, field: string): number | undefined {
    return this.int(value, field, 0, 0xffff_ffff);
  }

  /** A 64-bit integer, kept exact (bigint) beyond 2^53. */
  int64(value: unknown, field: string, unsigned = false): Int64 | undefined {
    if (value === null || value === undefined) return undefined;
    const [min, max] = unsigned ? [0n, UINT64_MAX] : [INT64_MIN, INT64_MAX];
    const ok =
      (typeof value === 'number' && Number.isInteger(value) && value >= Number(min) && value <= Number(max)) ||
      (typeof value === 'bigint' && value >= min && value <= max);
    if (!ok) return this.fail(field, `must be a${unsigned ? 'n unsigned' : ''} 64-bit integer (got ${show(value)})`);
    return value as Int64;
  }
}

/** Compares an Int64 with a small number without losing bigint precision. */
export function int64Cmp(value: Int64, n: number): number {
  const v = BigInt(value);
  const b = BigInt(n);
  return v < b ? -1 : v > b ? 1 : 0;
}
