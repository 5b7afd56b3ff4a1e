/**
 * How big and how deep a request body may be, before anything parses it. JSON.parse of a deeply
 * nested body costs the one event loop every other tenant shares (400,000 nested arrays in 1 MiB
 * took up to 0.6 s), so bodies are sized to the largest legitimate request and their nesting is
 * counted first, with a scan that costs the same whatever the body holds.
 */

/** The deepest nesting any legitimate body has (an estimate item's options inside its list), with room. */
export const MAX_JSON_DEPTH = 32;

/** Most /v1 bodies: a debit with metadata, a member, a key, a policy. */
export const DEFAULT_BODY_BYTES = 16 * 1024;
/** Estimates and affordability checks (up to 100 items), and MCP calls. */
export const LARGE_BODY_BYTES = 64 * 1024;

/** The size limit of a /v1 request body by its path. */
export function bodyLimitFor(path: string): number {
  return /\/(estimates|affordability)$/.test(path) ? LARGE_BODY_BYTES : DEFAULT_BODY_BYTES;
}

/** Whether `text` opens more than `max` arrays or objects inside one another (strings are skipped). */
export function nestsDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92)
        i++; // backslash: skip the escaped character
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 || ch === 123) {
      if (++depth > max) return true;
    } else if (ch === 93 || ch === 125) depth--;
  }
  return false;
}
