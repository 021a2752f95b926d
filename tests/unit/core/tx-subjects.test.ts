/** Which patients a transaction concerns: from the payload, or through the ledger for references and patient-signed kinds. */
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/lib/core/bytes';
import { demoChain } from '../../../src/lib/core/demo';
import { patientIdOf } from '../../../src/lib/core/ids';
import { decodePayload } from '../../../src/lib/core/payloads';
import { TxKind } from '../../../src/lib/core/tx';
import { blockPatients, ledgerLookup, NO_LOOKUP, txPatients } from '../../../src/lib/core/tx-subjects';
import { makeTx, ALICE } from './helpers';

const demo = demoChain({ blocks: 30, seed: 'tx-subjects' });
const lookup = ledgerLookup(demo.chain.ledger!);
const allTxs = demo.blocks.flatMap((b) => b.txs);

describe('txPatients', () => {
  it('a registration concerns the patient whose key signed it', () => {
    const reg = allTxs.filter((tx) => tx.kind === TxKind.RegisterPatient);
    expect(reg.length).toBeGreaterThan(0);
    for (const tx of reg) expect(txPatients(tx)).toEqual([toHex(patientIdOf(tx.author))]);
  });

  it('records name their patient in the payload, no ledger needed', () => {
    const records = allTxs.filter((tx) => tx.kind === TxKind.AddRecord);
    expect(records.length).toBeGreaterThan(0);
    for (const tx of records) {
      const p = decodePayload(tx.kind, tx.payload) as { patientId: Uint8Array };
      expect(txPatients(tx, NO_LOOKUP)).toEqual([toHex(p.patientId)]);
    }
  });

  it('grants are found through the ledger (the signing key is the patient’s)', () => {
    const grants = allTxs.filter((tx) => tx.kind === TxKind.GrantConsent);
    expect(grants.length).toBeGreaterThan(0);
    for (const tx of grants) {
      expect(txPatients(tx, NO_LOOKUP)).toEqual([]);
      const [id] = txPatients(tx, lookup);
      expect(demo.chain.ledger!.patients.get(id!)).toBeDefined();
    }
  });

  it('hospital kinds concern no patient; an undecodable payload gives none and never throws', () => {
    const founding = allTxs.filter((tx) => tx.kind === TxKind.FoundNetwork);
    expect(founding.length).toBeGreaterThan(0);
    for (const tx of founding) expect(txPatients(tx, lookup)).toEqual([]);
    expect(txPatients(makeTx(TxKind.AddRecord, ALICE, 1, 3), lookup)).toEqual([]);
  });

  it('blockPatients is sorted and unique', () => {
    for (const b of demo.blocks) {
      const ids = blockPatients(b.txs, lookup);
      expect(ids).toEqual([...new Set(ids)].sort());
      expect(ids).toEqual([...new Set(b.txs.flatMap((tx) => txPatients(tx, lookup)))].sort());
    }
  });
});
