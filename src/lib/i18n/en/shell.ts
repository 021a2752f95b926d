/** The app shell in English: skip link, modes, language switch, update prompt, status strip. */
import { formatNumber } from '../format';

const n = (x: number) => formatNumber('en', x);
/** Where stored blocks start: " (at height 5)", " (from height 5)", or nothing when unknown. */
const where = (count: number, from: number | null) => (from === null ? '' : ` (${count === 1 ? 'at' : 'from'} height ${n(from)})`);

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
  /** Stored blocks this version cannot read (app/status/store-health.ts): honest, not alarming; nothing was deleted. */
  storedOtherVersion: (count: number, from: number | null) =>
    `This device holds ${n(count)} stored ${count === 1 ? 'block' : 'blocks'}${where(count, from)} that this version of medchain cannot read: they were made by another version. Nothing was deleted: they stay in this browser’s storage. Your records on the network come back from peers running this version; a network made only with another version cannot be opened here.`,
  storedDamaged: (count: number, from: number | null) =>
    `${n(count)} stored ${count === 1 ? 'block was' : 'blocks were'} damaged${where(count, from)} and will be fetched again from peers.`,
  storedRepaired: (count: number) => `${n(count)} stored ${count === 1 ? 'block' : 'blocks'} that could not be read came back from peers.`,
};
