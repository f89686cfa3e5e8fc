/**
 * The result shape of every fallible parser (sensor frames, descriptors, traces), after zod's
 * `safeParse`:
 * `{ success: true, data } | { success: false, error: { code, message } }`. Parsers never throw
 * past the public API; malformed bytes come back as an error result with a literal code.
 */
export interface ParseError<C extends string = string> {
  code: C;
  message: string;
  /** Byte offset in the input where the problem was found, when meaningful. */
  offset?: number;
}

export type ParseResult<T, C extends string = string> =
  { success: true; data: T } | { success: false; error: ParseError<C> };

export const ok = <T>(data: T): { success: true; data: T } => ({ success: true, data });

export const fail = <C extends string>(
  code: C,
  message: string,
  offset?: number,
): { success: false; error: ParseError<C> } => ({
  success: false,
  error: offset === undefined ? { code, message } : { code, message, offset },
});
