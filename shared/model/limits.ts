/**
 * How much one stored record may hold. A table entity holds at most 1 MiB and a string property
 * 64 KiB (32K UTF-16 characters); these budgets (in characters of JSON) keep spec, status and
 * inventory of one connection together under that limit with room to spare (ADR 0030).
 */
export const chunkChars = 32_000;

export const storeLimits = {
  specChars: 6 * chunkChars,
  statusChars: 3 * chunkChars,
  inventoryChars: 4 * chunkChars,
} as const;
