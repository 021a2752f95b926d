/**
 * The clinician tests' node: the app's in-memory twin (MemoryNodeAccess)
 * over a real ChainState with the ledger rules, started from a genesis that
 * founds the network with the given hospital authority and data key.
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { ChainState } from '../../../../src/lib/core/chain';
import { encodePayload, QuorumRule } from '../../../../src/lib/core/payloads';
import { TEST_PARAMS } from '../../../../src/lib/core/params';
import { Prng } from '../../../../src/lib/core/prng';
import { publicKeyOf } from '../../../../src/lib/core/signature';
import { type Signer, rawSigner } from '../../../../src/lib/app/clinician/sign';
import { signTx } from '../../../../src/lib/core/sign-tx';
import { genesisTemplate, mineBlock } from '../../../../src/lib/core/template';
import { GENESIS_SIGNING_NETWORK, TxKind } from '../../../../src/lib/core/tx';
import { MemoryNodeAccess } from '../../../../src/lib/app/node/memory';
import { ledgerRules } from '../../../../src/lib/core/rules';

export const T0 = 1_767_225_600;
export const DAY = 86_400;

/** A twin whose genesis founds the network with `founder` (authority key) and its data key. */
export function foundedNode(founder: { secret: Uint8Array; pub: Uint8Array }, founderDataKey: Uint8Array): MemoryNodeAccess {
  const payload = encodePayload({
    kind: TxKind.FoundNetwork,
    networkName: 'test',
    hospitalName: 'Founders Hospital',
    dataKey: founderDataKey,
    quorum: QuorumRule.TwoThirds,
  });
  const found = signTx(GENESIS_SIGNING_NETWORK, { kind: TxKind.FoundNetwork, nonce: 1, time: T0, payload }, founder.secret, founder.pub);
  const state = new ChainState(TEST_PARAMS, mineBlock(genesisTemplate(TEST_PARAMS, [found], T0, founder.pub)), T0 + 60, { rules: ledgerRules });
  return new MemoryNodeAccess(state, { minerKey: founder.pub });
}

/** Mines the pending pool into a block and insists it was accepted. */
export function mineOrThrow(node: MemoryNodeAccess): void {
  const r = node.mine();
  if (r.status !== 'accepted') throw new Error(`block not accepted: ${r.status === 'invalid' ? r.error.message : r.status}`);
}

/** Deterministic randomness for the actions under test. */
export function seededRandom(seed: string): (n: number) => Uint8Array {
  const prng = new Prng(seed);
  return (n) => prng.bytes(n);
}

/** People (raw signers that keep their secret) and X25519 box pairs drawn from `random`. */
export function keyMaker(random: (n: number) => Uint8Array) {
  return {
    person: (): Signer & { secret: Uint8Array } => {
      const secret = random(32);
      return { ...rawSigner(secret, publicKeyOf(secret)), secret };
    },
    boxPair: () => {
      const secret = random(32);
      return { secret, pub: x25519.getPublicKey(secret) };
    },
  };
}
