import { describe, expect, it } from 'vitest';
import { Strikes } from '../../../src/relay/limits';
import { parseFrame } from '../../../src/relay/protocol';

describe('Strikes', () => {
  it('reaches the limit on the max-th strike, forgiving one per interval', () => {
    const s = new Strikes(3, 1000);
    expect(s.add(0)).toBe(false);
    expect(s.add(10)).toBe(false);
    expect(s.add(1010)).toBe(false); // one forgiven: level 2
    expect(s.add(1020)).toBe(true);
    const t = new Strikes(3, 1000);
    t.add(0);
    t.add(0);
    expect(t.add(5000)).toBe(false); // all forgiven
  });
});

describe('parseFrame', () => {
  const limits = { maxTopicChars: 8, maxTopicsPerClient: 3 };
  const code = (text: string) => {
    const r = parseFrame(text, limits);
    return r.ok ? r.frame : r.code;
  };
  it('reads the four frame types of y-webrtc', () => {
    expect(code('{"type":"ping"}')).toEqual({ type: 'ping' });
    expect(code('{"type":"subscribe","topics":["a","b","a"]}')).toEqual({ type: 'subscribe', topics: ['a', 'b'] });
    expect(code('{"type":"unsubscribe","topics":[]}')).toEqual({ type: 'unsubscribe', topics: [] });
    expect(code('{"type":"publish","topic":"a","data":{"x":1}}')).toEqual({ type: 'publish', topic: 'a' });
  });
  it('returns a code for everything else', () => {
    expect(code('')).toBe('BAD_JSON');
    expect(code('{"type":"ping"')).toBe('BAD_JSON');
    expect(code('1')).toBe('NOT_OBJECT');
    expect(code('[]')).toBe('NOT_OBJECT');
    expect(code('{"type":"pong"}')).toBe('UNKNOWN_TYPE');
    expect(code('{"type":"__proto__"}')).toBe('UNKNOWN_TYPE');
    expect(code('{"type":"publish"}')).toBe('BAD_TOPIC');
    expect(code('{"type":"publish","topic":"123456789"}')).toBe('BAD_TOPIC');
    expect(code('{"type":"subscribe","topics":["a",1]}')).toBe('BAD_TOPIC');
    expect(code('{"type":"subscribe"}')).toBe('BAD_TOPIC');
    expect(code('{"type":"subscribe","topics":["a","b","c","d"]}')).toBe('TOO_MANY_TOPICS');
  });
});
