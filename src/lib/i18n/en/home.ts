import { formatNumber } from '../format';

/** The start screen in English: what medchain is, the three modes, what this browser can do. */
export const home = {
  title: 'Your medical records, on your device',
  lead: 'Records are encrypted in your browser before they are shared, and only the hospitals you allow can read them. Every grant, revocation and record is signed and kept on a chain that every open tab checks for itself.',
  patientMode: 'Register or log in with your Aadhaar number and a passphrase, and show your QR code at reception.',
  clinicianMode: 'Found or join a hospital network, find patients and request access to their history.',
  explorerMode: 'See the blocks, the mesh of peers and verify the chain.',
  browser: 'This browser',
  whyIndexedDb: 'keeps the whole chain on this device',
  whyWorkers: 'mining and key derivation without freezing the page',
  whyWebRtc: 'talks directly to other nodes',
  whyCrypto: 'keys the page can use but never read',
  available: 'available',
  notAvailable: 'not available',
  allAvailable: 'This browser has everything a medchain node needs.',
  missing: (names: string) => `This browser is missing ${names}; medchain cannot run a full node here.`,
};

/** The start screen's network panel (app/node/NetworkStart.svelte). */
export const network = {
  title: 'Your network',
  running: 'This browser runs a full node of network',
  sampleLogins: 'Sample logins of this demo network',
  sampleHint: 'Made-up people for trying the app: not real Aadhaar numbers. A real network has no such list.',
  who: 'Who',
  where: 'Where',
  aadhaar: 'Aadhaar number',
  passphrase: 'Passphrase',
  shareLink: 'Link to join this network',
  shareHint: 'Open it in another browser or profile to add a node.',
  openExplorer: 'Open the explorer',
  leave: 'Leave this network',
  linkJoins: 'This link joins network',
  through: (relays: number): string => (relays === 1 ? 'through the relay' : 'through the relays'),
  skipped: (count: number, relays: string) => `Not used, because this app does not allow ${count === 1 ? 'it' : 'them'}: ${relays}.`,
  joinNamed: (id: string) => `Join network ${id}`,
  demoIntro: 'Try medchain with a demo network: one hospital founds it on this device, and sample patients with a record each are written to its chain.',
  relays: 'Relay addresses',
  relaysHint: 'Relays only introduce nodes to each other (several may be listed, separated by commas); npm start runs one here.',
  starting: 'Starting…',
  foundDemo: 'Found a demo network',
  pasteLink: 'Or paste a join link',
  joinByLink: 'Join by link',
  /** Why the node did not start, then the error's own text. */
  startFailed: (detail: string) => `The network could not start: ${detail}`,
  /** What the demo set-up is doing (app/node/demo-network.ts `DemoStep`). */
  demoStep: {
    KEYS: 'Making the demo hospital’s and patients’ keys',
    REGISTERING: (count: number) => `Registering ${formatNumber('en', count)} sample patients`,
    RECORDS: 'Adding sample records',
    WRITTEN: 'Sample data written',
  },
  /** Why typed relays or a join link cannot be used (app/node/network.ts `RelayProblem`). */
  relayProblem: {
    NO_RELAY: 'Give at least one relay address.',
    TOO_MANY_RELAYS: (max: number) => `Give at most ${formatNumber('en', max)} relay addresses.`,
    BAD_RELAY: (url: string) => `The relay address must be a ws:// or wss:// address. “${url}” is not.`,
    NOT_ALLOWED: (refused: string, allowed: string) =>
      `This app does not allow the relay ${refused}: its deployment allows ${allowed}. Open the network in the app its hospitals use, or ask the administrator to add the relay.`,
    BAD_ID: 'The network id in the link is not valid.',
    LINK_TOO_MANY_RELAYS: (max: number) => `The link names more than ${formatNumber('en', max)} relays.`,
    LINK_BAD_RELAY: 'A relay address in the link is not a ws:// or wss:// address.',
    NO_GENESIS: 'The link does not carry the network’s first block.',
    NOT_FIRST_BLOCK: 'The block in the link is not a first block.',
    GENESIS_DAMAGED: 'The network’s first block in the link is damaged.',
  },
};
