/** The app shell in English: skip link, modes, language switch, update prompt, status strip. */
import { formatNumber } from '../format';

const n = (x: number) => formatNumber('en', x);

export const shell = {
  skip: 'Skip to content',
  modes: 'Modes',
  patient: 'Patient',
  clinician: 'Clinician',
  explorer: 'Explorer',
  language: 'Language',
  updateReady: 'A new version of medchain is ready.',
  reload: 'Reload to update',
  offlineReady: 'medchain is saved on this device and will open without a connection.',
  ok: 'OK',
};

/** The status strip (app/status/status.ts picks the sentence; these are its words). */
export const status = {
  label: 'Node status',
  placeholder: 'Nothing is sent or received until this device joins a network.',
  joinOrFound: 'Join or found a network',
  notConnected: (offline: boolean) => `No network on this device yet${offline ? ' · device offline' : ''}`,
  offline: 'Offline',
  connecting: 'Connecting…',
  noRelay: 'No relay reachable: cannot find peers, retrying',
  connected: (peers: number, relayed: number) => `Connected to ${n(peers)} ${peers === 1 ? 'peer' : 'peers'}${relayed ? ` (${n(relayed)} through TURN)` : ''}`,
  blocked: (why: string) => `Peers cannot be reached: direct connection blocked and ${why}`,
  turnNone: 'no TURN server configured',
  turnDown: 'the TURN server does not relay',
  turnUnknown: 'no TURN server has answered',
  syncNotStarted: 'Sync: not started',
  upToDate: 'Up to date',
  syncing: (have: number, target: number) => `Syncing ${n(have)} of ${n(target)} blocks`,
  miningUnknown: 'Mining: not running',
  miningOff: 'Mining off',
  miningWaiting: 'Mining: waiting for work',
  mining: 'Mining',
  pending: (count: number) => `${n(count)} saved on this device, will sync`,
};
