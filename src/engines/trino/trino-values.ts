import { trimFraction } from '../temporal-text.js';

/**
 * Trino's values as the /query format has them, driven by each column's type signature (the
 * structured form of its type): BIGINT as decimal text at any depth, timestamps and times without a
 * zero fraction, rows as objects keyed by their field names (as DuckDB answers structs), maps with
 * converted values. Everything else is passed as Trino sends it (DECIMAL and dates are already text).
 */
export interface TypeSignature {
  rawType: string;
  arguments?: Array<{ kind: string; value: unknown }>;
}

type Convert = (v: unknown) => unknown;

const identity: Convert = (v) => v;

const nullable =
  (f: Convert): Convert =>
  (v) =>
    v === null || v === undefined ? null : f(v);

export function converterFor(sig: TypeSignature | undefined): Convert {
  if (!sig) return identity;
  const args = sig.arguments ?? [];
  switch (sig.rawType) {
    case 'bigint':
      return nullable((v) => String(v));
    case 'timestamp':
    case 'time':
      return nullable((v) => (typeof v === 'string' ? trimFraction(v) : v));
    case 'array': {
      const element = converterFor(args[0]?.value as TypeSignature | undefined);
      return nullable((v) => (Array.isArray(v) ? v.map(element) : v));
    }
    case 'map': {
      const value = converterFor(args[1]?.value as TypeSignature | undefined);
      return nullable((v) => (v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x)])) : v));
    }
    case 'row': {
      const fields = args.map((a, i) => {
        const named = a.value as { fieldName?: { name?: string }; typeSignature?: TypeSignature };
        return { name: named.fieldName?.name ?? `field${i}`, convert: converterFor(named.typeSignature) };
      });
      // Anonymous rows (no field names at all) stay positional.
      const anonymous = args.every((a) => !(a.value as { fieldName?: unknown }).fieldName);
      return nullable((v) => {
        if (!Array.isArray(v)) return v;
        if (anonymous) return v.map((x, i) => (fields[i] ? fields[i]!.convert(x) : x));
        return Object.fromEntries(fields.map((f, i) => [f.name, f.convert(v[i])]));
      });
    }
    default:
      return identity;
  }
}
