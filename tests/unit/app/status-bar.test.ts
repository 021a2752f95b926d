/**
 * The status strip every screen shows (app/ui/StatusBar.svelte), rendered
 * on the server side of Svelte: a node whose store held blocks of another
 * medchain version shows the notice with its codes; a healthy one shows none.
 */
import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import StatusBar from '../../../src/lib/app/ui/StatusBar.svelte';
import type { NodeStatus } from '../../../src/lib/app/status/status';
import { useStatusSource } from '../../../src/lib/app/status/status-store.svelte';

const running: NodeStatus = { source: 'node', browserOnline: true, connection: 'connected', peers: 1, sync: null, mining: 'off', unsynced: 0 };

/** The strip's HTML while the node reports `status`. */
function strip(status: NodeStatus): string {
  useStatusSource({ current: () => status, subscribe: () => () => {} });
  return render(StatusBar).body;
}

describe('the status strip', () => {
  it('tells of stored blocks another version made, with their codes', () => {
    const html = strip({ ...running, stored: { otherVersion: { blocks: 2, fromHeight: 2, codes: ['BAD_PAYLOAD'] }, damaged: null, repaired: 0 } });
    const notice = /<p[^>]*data-testid="status-stored"[^>]*>([^]*?)<\/p>/.exec(html)?.[1] ?? '';
    expect(notice).toContain('This device holds 2 stored blocks (from height 2) that this version of medchain cannot read');
    expect(notice).toContain('Nothing was deleted');
    expect(notice).toContain('BAD_PAYLOAD');
  });

  it('says nothing of stored blocks when the store was healthy', () => {
    expect(strip(running)).not.toContain('status-stored');
  });
});
