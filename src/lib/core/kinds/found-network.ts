/**
 * FoundNetwork (SPEC §5): a founding hospital names the network, itself and
 * its data key, and states the quorum rule the founders chose. Only in the
 * genesis block.
 */
import { toHex } from '../bytes';
import { MAX_NAME_BYTES, QuorumRule } from '../payload-fields';
import { TxKind } from '../tx';
import { KEY, exampleBytes, readEnum } from './codec';
import { claimKey, fail, requireBoxKey } from './rule-kit';
import type { KindSpec } from './spec';

/** What a FoundNetwork transaction carries; the field order is its encoding. */
export type FoundNetworkPayload = { kind: typeof TxKind.FoundNetwork; networkName: string; hospitalName: string; dataKey: Uint8Array; quorum: QuorumRule };

/** FoundNetwork's entry in the registry (kinds/index.ts). */
export const foundNetwork: KindSpec<typeof TxKind.FoundNetwork, FoundNetworkPayload> = {
  kind: TxKind.FoundNetwork,
  write: (w, p) => {
    w.string(p.networkName, MAX_NAME_BYTES).string(p.hospitalName, MAX_NAME_BYTES).fixed(p.dataKey, KEY).u8(p.quorum);
  },
  read: (r) => ({
    kind: TxKind.FoundNetwork,
    networkName: r.string(MAX_NAME_BYTES, 'network name'),
    hospitalName: r.string(MAX_NAME_BYTES, 'hospital name'),
    dataKey: r.fixed(KEY),
    quorum: readEnum(r, QuorumRule, 'quorum rule'),
  }),
  apply: (ledger, p, t) => {
    // A network is founded only in its genesis block.
    if (t.height !== 0) fail('GENESIS_ONLY', 'founding outside genesis');
    requireBoxKey(p.dataKey);
    claimKey(ledger, t.author, { role: 'hospital' });
    ledger.hospitals.set(t.author, { id: t.author, name: p.hospitalName, dataKey: toHex(p.dataKey), dataEpoch: 0, member: true, approvals: [], staff: [] });
    ledger.addMember();
    // Every founder states the same rule (the genesis check, BAD_GENESIS); the ledger keeps it for the emergency threshold.
    ledger.setQuorumRule(p.quorum);
  },
  codes: ['GENESIS_ONLY', 'BAD_KEY', 'KEY_IN_USE'],
  signer: 'new-key',
  proofs: null,
  subjects: null,
  blobs: null,
  example: {
    kind: TxKind.FoundNetwork,
    networkName: 'medchain example',
    hospitalName: 'Example Hospital',
    dataKey: exampleBytes(1),
    quorum: QuorumRule.TwoThirds,
  },
};
