import { canonicalJson } from './canonical-json';

describe('canonical JSON (RFC 8785)', () => {
  it.each([
    [{ b: 1, a: [true, null, 'x'] }, '{"a":[true,null,"x"],"b":1}'],
    [{ nested: { z: 1, y: { b: 2, a: 1 } } }, '{"nested":{"y":{"a":1,"b":2},"z":1}}'],
    [{ at: new Date('2026-03-01T09:00:00Z') }, '{"at":"2026-03-01T09:00:00.000Z"}'],
    [{ text: 'سوف <b>"quoted"</b>\n' }, '{"text":"سوف <b>\\"quoted\\"</b>\\n"}'],
    [{ gone: undefined, kept: 0 }, '{"kept":0}'],
    [1e21, '1e+21'],
  ])('writes %j as %s', (value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });

  it.each([[NaN], [Infinity], [() => 1]])('refuses %p, which has no JSON form', (value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });
});
