/** API keys of the auth tests: one per scope, and a key with caps. Tokens are test-only. */
export const TOKENS = {
  query: 'tq_0123456789abcdef0123',
  pipelines: 'tp_0123456789abcdef0123',
  catalog: 'tc_0123456789abcdef0123',
  admin: 'ta_0123456789abcdef0123',
} as const;

export type KeyName = keyof typeof TOKENS;

/** LAKEGATE_API_KEYS for the four keys above (named after their scope), plus `extra` entries. */
export function apiKeysEnv(...extra: string[]): string {
  return [...Object.entries(TOKENS).map(([scope, token]) => `${scope}-key:${token}:${scope}`), ...extra].join(',');
}

export const bearer = (token: string): { authorization: string } => ({ authorization: `Bearer ${token}` });
