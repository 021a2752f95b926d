/**
 * Named points on the node's start path (issue 7: the start figure's
 * breakdown). Each is a `performance.mark('medchain:<name>')` where the
 * platform has one, nothing elsewhere; the bench's node harness reads them
 * back and prints the spans (never a timed assertion, SPEC §9).
 */
export function startMark(name: string): void {
  globalThis.performance?.mark?.(`medchain:${name}`);
}
