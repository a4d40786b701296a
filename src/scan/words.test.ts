import { findWord, words } from './words';

test('words splits identifiers, paths and URLs', () => {
  expect(words('chargeCard')).toEqual(['charge', 'card']);
  expect(words('src/billing/OrderTotal.ts')).toEqual(['src', 'billing', 'order', 'total', 'ts']);
  expect(words('HTTPClient')).toEqual(['http', 'client']);
  expect(words('order_total-v2')).toEqual(['order', 'total', 'v2']);
});

test('findWord matches whole words, plurals and joined entries in order', () => {
  expect(findWord(words('payments'), ['payment'])).toBe('payment');
  expect(findWord(words('inventories'), ['inventory'])).toBe('inventory');
  expect(findWord(words('repayment'), ['pay'])).toBeUndefined();
  expect(findWord(words('computeOrderTotal'), ['order-total'])).toBe('order-total');
  expect(findWord(words('totalOrder'), ['order-total'])).toBeUndefined();
  expect(findWord(words('ordersTotal'), ['order-total'])).toBeUndefined();
});
