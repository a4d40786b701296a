import vm from 'node:vm';
import { CALL_STYLES, isAsyncFunction, resolveStyle } from './call-style';

describe("resolveStyle: what 'auto' makes of a method, from its declaration alone", () => {
  class Repository {
    async find(): Promise<number> {
      return 1;
    }

    findSync(): number {
      return 1;
    }
  }
  const repository = new Repository();

  test.each([
    ['an async function', async function query() {}],
    ['an async arrow', async () => 1],
    ['an async method', repository.find],
    ['a bound async method', repository.find.bind(repository)],
    ["an async function of another realm (Jest's test realm)", vm.runInNewContext('(async () => 1)') as Function],
  ])('%s: a rejected promise', (_name, fn) => {
    expect(resolveStyle('auto', fn)).toBe('promise');
  });

  test.each([
    ['a plain function', function getPrimaryConnection() {}],
    ['an arrow', () => 1],
    ['a method', repository.findSync],
    ['a function that returns a promise without being declared async', () => Promise.resolve(1)],
    ['a jest.fn() that resolves', jest.fn().mockResolvedValue(1)],
    ['a Node-style function: a trailing callback parameter is not a declared callback', function get(_key: string, _callback: () => void) {}],
    ['a generator', function* rows() {}],
    ['an async generator (it returns its iterator synchronously)', async function* rows() {}],
  ])('%s: thrown, synchronously', (_name, fn) => {
    expect(resolveStyle('auto', fn)).toBe('sync');
  });

  test('a declared style is kept, whatever the function', () => {
    for (const style of ['sync', 'promise', 'callback'] as const) {
      expect([style, resolveStyle(style, async () => 1), resolveStyle(style, () => 1)]).toEqual([style, style, style]);
    }
  });

  test('every style is listed, auto first', () => {
    expect(CALL_STYLES).toEqual(['auto', 'sync', 'promise', 'callback']);
  });

  test('isAsyncFunction does not call the function', () => {
    const fn = jest.fn();
    expect(isAsyncFunction(fn)).toBe(false);
    expect(fn).not.toHaveBeenCalled();
  });
});
