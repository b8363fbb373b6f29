import type { ColumnDef } from '../table-def.js';
import { HIVE_DEFAULT_PARTITION } from '../ddl/hive-type.js';

/** Characters Hive escapes in partition directory names (FileUtils.escapePathName), as %XX. */
function needsEscape(code: number): boolean {
  return code < 0x20 || code === 0x7f || '"#%\'*/:=?\\{[]^'.includes(String.fromCharCode(code));
}

/** `2024-01-01 10:00:00` -> `2024-01-01 10%3A00%3A00`; the empty value becomes `__HIVE_DEFAULT_PARTITION__`. */
export function escapePartitionValue(value: string): string {
  if (value === '') return HIVE_DEFAULT_PARTITION;
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    out += code < 0x80 && needsEscape(code) ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : ch;
  }
  return out;
}

/** Reverses escapePartitionValue: every `%XX` with two hex digits becomes its character. */
export function unescapePartitionValue(text: string): string {
  return text.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** `key=value` (split at the first '='), or undefined for a name that is not one. */
export function parseSegment(name: string): { key: string; value: string } | undefined {
  const eq = name.indexOf('=');
  if (eq <= 0) return undefined;
  return { key: unescapePartitionValue(name.slice(0, eq)), value: unescapePartitionValue(name.slice(eq + 1)) };
}

/** The escaped relative path of a partition: `txn_year=2024/txn_month=1`. Also its spec in results. */
export function partitionPath(keys: readonly ColumnDef[], values: Record<string, string>): string {
  return keys.map((k) => `${k.name}=${escapePartitionValue(values[k.name] ?? '')}`).join('/');
}

/**
 * Files and directories that are never data: hidden (`.x`) and underscore names (`_SUCCESS`,
 * `_temporary`, `_committed_*`), checksum files (`*.crc`) and EMR folder markers (`*_$folder$`).
 */
export function isJunkName(name: string): boolean {
  return name.startsWith('.') || name.startsWith('_') || name.endsWith('.crc') || name.endsWith('_$folder$');
}
