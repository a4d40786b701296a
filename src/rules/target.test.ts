import { httpTargetProblem } from './target';

describe('httpTargetProblem', () => {
  test.each([
    '*',
    'api.example.com',
    '*.example.com',
    'api.example.com:8443',
    'localhost',
    '127.0.0.1:3000',
    '[::1]:8080',
    'https://api.example.com',
    'HTTP://api.example.com/',
    'https://api.example.com/users/*',
    'https://api.example.com/search?q=*',
    'api.example.com/users/*',
    'api.example.com:8443/users/*',
    'my_host.internal',
  ])('accepts %s', (target) => {
    expect(httpTargetProblem(target)).toBeUndefined();
  });

  test.each([
    ['ftp://api.example.com', 'target "ftp://api.example.com" has the scheme "ftp"; http rules see only http and https requests'],
    ['ws://api.example.com', 'target "ws://api.example.com" has the scheme "ws"; http rules see only http and https requests'],
    ['https:/api.example.com', 'target "https:/api.example.com" is a URL without "//" after its scheme'],
    ['http:api.example.com', 'target "http:api.example.com" is a URL without "//" after its scheme'],
    ['https:///users', 'target "https:///users" has no host'],
    ['/users/*', 'target "/users/*" has no host'],
    ['user@api.example.com', 'target "user@api.example.com" has a user name ("...@"); a target names a host, not a login'],
    ['a.example.com,b.example.com', 'target "a.example.com,b.example.com" has the host "a.example.com,b.example.com", which is not a host name or glob'],
    ['api..example.com', 'target "api..example.com" has the host "api..example.com", which is not a host name or glob'],
    ['api.example.com:99999', 'target "api.example.com:99999" has the port "99999", which is not a port from 1 to 65535'],
    ['api.example.com:0', 'target "api.example.com:0" has the port "0", which is not a port from 1 to 65535'],
    ['api.example.com:http', 'target "api.example.com:http" has the port "http", which is not a port from 1 to 65535'],
    ['https://api.example.com:/x', 'target "https://api.example.com:/x" has the port "", which is not a port from 1 to 65535'],
  ])('rejects %s', (target, problem) => {
    expect(httpTargetProblem(target)).toBe(problem);
  });
});
