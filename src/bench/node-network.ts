/**
 * A small network for node-runtime tests and the bench's confirm figure, in
 * Node and in Chromium alike:
 * `validators` founding hospitals in the genesis block, easy fixed
 * difficulty (the runtime is under test, not hashing) and a patient
 * registration to write. Everything derives from a seed, so every page of a
 * browser test builds the same genesis from the same inputs.
 */
import { type Block, blockHash } from '../lib/core/block';
import type { BootOptions } from '../lib/node/boot';
import { type ChainParams, TEST_PARAMS } from '../lib/core/params';
import { encodePayload, QuorumRule } from '../lib/core/payloads';
import { Prng } from '../lib/core/prng';
import { publicKeyOf } from '../lib/core/signature';
import { signTx } from '../lib/core/sign-tx';
import { genesisTemplate, mineBlock } from '../lib/core/template';
import { GENESIS_SIGNING_NETWORK, type Tx, TxKind } from '../lib/core/tx';

export interface Key {
  readonly secret: Uint8Array;
  readonly pub: Uint8Array;
}

/** Fixed, trivial difficulty and one network id per test. */
export function nodeParams(id: string): ChainParams {
  return Object.freeze({ ...TEST_PARAMS, id, retargetInterval: 1_000_000, expectedIntervals: 999_999, powLimit: (1n << 255n) - 1n, genesisBits: 0x207fffff });
}

export interface TestNetwork {
  readonly params: ChainParams;
  readonly genesis: Block;
  /** The genesis hash: what every later signature of the network binds. */
  readonly network: Uint8Array;
  readonly validators: readonly Key[];
}

/**
 * The network `id`: `validators` hospitals found it at `t0` (seconds), with
 * the quorum rule `quorum` (two thirds, the default, unless given); fixed
 * trivial difficulty unless `params` are given.
 */
export function testNetwork(
  id: string,
  validators: number,
  t0: number,
  params: ChainParams = nodeParams(id),
  quorum: QuorumRule = QuorumRule.TwoThirds,
): TestNetwork {
  const prng = new Prng(`node-network/${id}`);
  const keys = Array.from({ length: validators }, () => {
    const secret = prng.bytes(32);
    return { secret, pub: publicKeyOf(secret) };
  });
  const found = keys.map((k, i) =>
    signTx(
      GENESIS_SIGNING_NETWORK,
      {
        kind: TxKind.FoundNetwork,
        nonce: i + 1,
        time: t0,
        payload: encodePayload({ kind: TxKind.FoundNetwork, networkName: id, hospitalName: `H${i}`, dataKey: prng.bytes(32), quorum }),
      },
      k.secret,
      k.pub,
    ),
  );
  const genesis = mineBlock(genesisTemplate(params, found, t0, keys[0]!.pub));
  return { params, genesis, network: blockHash(genesis), validators: keys };
}

/** A patient registration on `net` signed by a fresh key from `seed` (a write that needs no prior state). */
export function patientTx(net: TestNetwork, seed: string, time: number): Tx {
  const prng = new Prng(`patient/${seed}`);
  const secret = prng.bytes(32);
  return signTx(
    net.network,
    { kind: TxKind.RegisterPatient, nonce: 1, time, payload: encodePayload({ kind: TxKind.RegisterPatient, boxKey: prng.bytes(32) }) },
    secret,
  );
}

/** bootNode's options for a tab of `net`: voting as hospital `validator` (or not), mining or not. */
export function tabBootOptions(net: TestNetwork, relayUrl: string, validator: number | null, mine: boolean | undefined): BootOptions {
  return { params: net.params, genesis: net.genesis, relayUrls: [relayUrl], validatorKey: validator === null ? null : net.validators[validator]!, mine };
}
