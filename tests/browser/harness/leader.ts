/** Harness page for tab leadership: one writer per origin, followers re-read the store on a new tip. */
import { openIdbStore } from '../../../src/lib/adapters/store/idb';
import { TabLeadership } from '../../../src/lib/adapters/store/leader';
import type { BlockMarker } from '../../../src/lib/adapters/store/types';
import { writeChain } from '../../shared/store-suite';
import { expose } from '../../../src/bench/expose';

let tab: TabLeadership | null = null;
const seen: BlockMarker[] = [];
let dbName = '';

expose({
  start(name: string) {
    dbName = name;
    tab = new TabLeadership(name, {
      // A follower takes nothing from the message but the cue: it reads the tip from the store.
      onTip: async () => {
        const store = await openIdbStore(dbName, { persist: false });
        const tip = await store.tip();
        store.close();
        if (tip) seen.push(tip);
      },
    });
  },
  role: () => tab?.role ?? null,
  seen: () => [...seen],
  /** As the leader: write the demo chain, then announce its tip. */
  async writeAndAnnounce() {
    const store = await openIdbStore(dbName, { persist: false });
    const chain = await writeChain(store, 12);
    store.close();
    const tip = { key: chain.tip.key, height: chain.height };
    tab!.announceTip(tip);
    return tip;
  },
  stop: () => tab?.stop(),
});
