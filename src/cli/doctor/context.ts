/** What every check of `medchain doctor` needs: whom to trust, how long to wait, where to report. */
import type { Report } from './report';
import type { Trust } from './trust';

export interface DoctorContext {
  readonly trust: Trust;
  /** The bound on each step (a connection, an answer), in milliseconds. */
  readonly timeoutMs: number;
  readonly report: Report;
  /** Wall-clock milliseconds: real time, since TURN requests and certificates are checked against real clocks. */
  now(): number;
}
