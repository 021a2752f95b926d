/**
 * Keys belong to one network (SPEC §2: the network id salts them). When the
 * network this device runs changes (left, joined another, founded one), a
 * patient or clinician signed in under the old id no longer has keys there:
 * they are signed out rather than left acting as someone the new network
 * does not know. Checked only while a node runs, so a founder who signs in
 * under the new id before its network starts is not signed out.
 */
export function staleSession(sessionNetwork: string | undefined, phase: string, running: string | undefined): boolean {
  return sessionNetwork !== undefined && phase === 'running' && running !== undefined && sessionNetwork !== running;
}
