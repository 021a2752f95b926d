import { describe, expect, it } from 'vitest';
import { exposeHandle } from '../../../src/lib/node/handle';
import type { NodeStatus } from '../../../src/lib/node/types';

const source = (nodeId: string) => ({
  status: () => ({ nodeId }) as unknown as NodeStatus,
  verifyChain: async () => ({ ok: true }) as never,
  links: () => null,
});

describe('window.medchain handle', () => {
  it('is read-only for page script', () => {
    const target: Record<string, unknown> = {};
    exposeHandle(target, source('a'));
    expect(() => {
      'use strict';
      target.medchain = {};
    }).toThrow(TypeError);
    expect((target.medchain as { status(): NodeStatus }).status().nodeId).toBe('a');
    expect(Object.isFrozen(target.medchain)).toBe(true);
  });

  it('is replaced when the page boots its node again (a hospital starting to vote, another network)', () => {
    const target: Record<string, unknown> = {};
    exposeHandle(target, source('first'));
    expect(() => exposeHandle(target, source('second'))).not.toThrow();
    expect((target.medchain as { status(): NodeStatus }).status().nodeId).toBe('second');
  });
});
