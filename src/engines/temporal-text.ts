/**
 * A timestamp or time as the /query format has it: without a zero fraction. Engines print the
 * fraction to their column's precision ('2024-01-01 10:00:00.000000'); the gateway answers
 * '2024-01-01 10:00:00', and '...:56.780' as '...:56.78'.
 */
export function trimFraction(text: string): string {
  return text.replace(/\.(\d*?)0*$/, (_m, kept: string) => (kept ? `.${kept}` : ''));
}
