/**
 * A network's relays (SPEC §6, issue 12): join links carry one or several;
 * only relays this deployment's CSP allows are used — a link naming others
 * gets a clear message, never a socket the browser blocks without a word;
 * relay lists typed by a person are checked the same way; a network
 * remembered before networks had several relays still resumes.
 */
import { describe, expect, it } from 'vitest';
import { ZERO_CONFIG_DEPLOYMENT } from '../../../../src/lib/app/deployment';
import { paramsFor, parseRelayList, type NetworkInfo } from '../../../../src/lib/app/node/network';
import { decodeSaved, encodeSaved, joinFragment, parseJoinFragment } from '../../../../src/lib/app/node/network-link';
import { foundingGenesis } from '../../../../src/lib/app/node/demo-network';

import { toBase64 } from '../../../../src/lib/core/base64';
import { encodeBlock } from '../../../../src/lib/core/block';
import { Prng } from '../../../../src/lib/core/prng';
import { publicKeyOf } from '../../../../src/lib/core/signature';

const prng = new Prng('network-links');
const secret = prng.bytes(32);
const genesis = foundingGenesis(paramsFor('pune-care-ab12'), { secret, pub: publicKeyOf(secret) }, prng.bytes(32), 1_800_000_000);
const net = (relayUrls: string[]): NetworkInfo => ({ id: 'pune-care-ab12', relayUrls, genesis });

describe('join links with several relays', () => {
  it('round-trip every relay, in order', () => {
    const n = net(['ws://127.0.0.1:4444', 'ws://localhost:4445']);
    const parsed = parseJoinFragment(joinFragment(n));
    expect(parsed).toMatchObject({ ok: true, skipped: [], network: { id: n.id, relayUrls: n.relayUrls } });
  });

  it('use only the relays the deployment allows, and say which were left out', () => {
    expect(ZERO_CONFIG_DEPLOYMENT.loopbackRelays).toBe(true);
    const parsed = parseJoinFragment(joinFragment(net(['wss://relay.hospital.example', 'ws://127.0.0.1:4444'])));
    expect(parsed).toMatchObject({ ok: true, skipped: ['wss://relay.hospital.example'], network: { relayUrls: ['ws://127.0.0.1:4444'] } });
  });

  it('refuse a link none of whose relays the deployment allows, naming them and the allowed ones', () => {
    const parsed = parseJoinFragment(joinFragment(net(['wss://relay.hospital.example'])));
    expect(parsed).toEqual({
      ok: false,
      reason: { code: 'NOT_ALLOWED', args: ['wss://relay.hospital.example', expect.stringContaining('ws://127.0.0.1:4444')] },
    });
  });

  it('refuse a relay that is not a ws:// or wss:// address, and too many relays', () => {
    const g = encodeURIComponent(toBase64(encodeBlock(genesis)));
    expect(parseJoinFragment(`#join=pune-care-ab12&relay=https://relay.example&genesis=${g}`)).toEqual({ ok: false, reason: { code: 'LINK_BAD_RELAY' } });
    const many = Array.from({ length: 9 }, (_, i) => `relay=ws://127.0.0.1:${4000 + i}`).join('&');
    expect(parseJoinFragment(`#join=pune-care-ab12&${many}&genesis=${g}`)).toEqual({ ok: false, reason: { code: 'LINK_TOO_MANY_RELAYS', args: [8] } });
  });

  it('without a relay, use the deployment’s', () => {
    const g = encodeURIComponent(toBase64(encodeBlock(genesis)));
    expect(parseJoinFragment(`#join=pune-care-ab12&genesis=${g}`)).toMatchObject({ ok: true, network: { relayUrls: ['ws://127.0.0.1:4444'] } });
  });
});

describe('relay lists typed by a person', () => {
  it('split on commas and spaces, drop repeats, and check each', () => {
    expect(parseRelayList(' ws://127.0.0.1:4444,  ws://localhost:9\nws://127.0.0.1:4444 ')).toEqual({
      ok: true,
      urls: ['ws://127.0.0.1:4444', 'ws://localhost:9'],
    });
    expect(parseRelayList('  ')).toEqual({ ok: false, reason: { code: 'NO_RELAY' } });
    expect(parseRelayList('ws://127.0.0.1:4444 127.0.0.1:4445')).toEqual({ ok: false, reason: { code: 'BAD_RELAY', args: ['127.0.0.1:4445'] } });
    expect(parseRelayList('wss://relay.elsewhere.example')).toMatchObject({
      ok: false,
      reason: { code: 'NOT_ALLOWED', args: ['wss://relay.elsewhere.example', expect.any(String)] },
    });
  });
});

describe('the remembered network', () => {
  it('keeps its relays, and a copy saved with one relayUrl still resumes', () => {
    const n = net(['ws://127.0.0.1:4444', 'ws://localhost:4445']);
    expect(decodeSaved(encodeSaved(n))).toMatchObject({ id: n.id, relayUrls: n.relayUrls });
    const old = JSON.stringify({ id: n.id, relayUrl: 'ws://127.0.0.1:4444', genesis: toBase64(encodeBlock(genesis)) });
    expect(decodeSaved(old)).toMatchObject({ relayUrls: ['ws://127.0.0.1:4444'] });
    expect(decodeSaved('{"id":"x"}')).toBeNull();
    expect(decodeSaved('not json')).toBeNull();
  });
});
