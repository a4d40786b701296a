import { constantText, displayText, globText, joinText, UNKNOWN_TEXT, urlInfo } from './text';

const dynamic = UNKNOWN_TEXT;
const host = (parts: Parameters<typeof joinText>) => urlInfo(joinText(...parts))?.host;

describe('urlInfo', () => {
  test('a constant URL, or a constant prefix that ends the host, names the host', () => {
    expect(host([constantText('https://api.example.com/v1/charges')])).toBe('api.example.com');
    expect(host([constantText('https://api.example.com'), dynamic('path')])).toBe('api.example.com');
    expect(host([constantText('https://api.example.com/users/'), dynamic('id')])).toBe('api.example.com');
    expect(host([constantText('http://localhost:8080/x')])).toBe('localhost:8080');
    expect(host([constantText('https://api.example.com:443/x')])).toBe('api.example.com');
  });

  test('a host that a dynamic part continues or replaces is unknown', () => {
    expect(host([constantText('https://api-'), dynamic('region'), constantText('.example.com/')])).toBeUndefined();
    expect(host([constantText('https://'), dynamic('host'), constantText('/x')])).toBeUndefined();
    expect(host([dynamic('base'), constantText('/x')])).toBeUndefined();
    expect(host([constantText('/relative/path')])).toBeUndefined();
  });

  test('a dynamic port keeps the host', () => {
    expect(host([constantText('http://localhost:'), dynamic('port'), constantText('/x')])).toBe('localhost');
  });
});

test('displayText and globText show the dynamic parts', () => {
  const text = joinText(dynamic('this.baseUrl'), constantText('/identity/users/'), dynamic('encodeURIComponent(id)'));
  expect(displayText(text)).toBe('${this.baseUrl}/identity/users/${encodeURIComponent(id)}');
  expect(globText(text)).toBe('*/identity/users/*');
});
