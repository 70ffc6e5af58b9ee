/** Rate-limit key for a typed join code: upper case, without spaces or dashes, bounded in length. */
export function normaliseJoinCodeInput(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, "").slice(0, 16);
}
