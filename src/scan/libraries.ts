/**
 * The client libraries `scan` recognises, and how each reaches its dependency: which exports construct a
 * client, which send a request, which instance methods hand out another client (a channel, a producer).
 */

export type DependencyDomain = 'http' | 'db' | 'cache' | 'tcp';

export interface Library {
  /** The package name users know it by (`pg`, `ioredis`, `@grpc/grpc-js`), or `fetch` for the global. */
  readonly id: string;
  readonly domain: DependencyDomain;
  /** Module specifiers that load it (`node:` prefixes are stripped before lookup). */
  readonly modules: readonly string[];
  /** The port a connection uses when the code names none. */
  readonly defaultPort?: number;
  /** Export paths that `new` turns into a client (`[]` is the module itself, as ioredis's default export). */
  readonly constructors?: readonly (readonly string[])[];
  /** Export paths whose call returns a client (`createPool`, `connect`, `axios.create`). */
  readonly factories?: readonly (readonly string[])[];
  /** Export paths whose call sends an HTTP request (`request`, `get`); `[]` when the module itself is callable. */
  readonly requests?: readonly (readonly string[])[];
  /** HTTP clients: the instance methods that send a request; `call` when the instance itself is callable. */
  readonly instanceRequests?: readonly string[];
  /** Instance methods whose result is another client of the same dependency (a channel, a pool client). */
  readonly derive?: readonly string[];
  /** Type names exported by the package that stand for a client, for typed fields and parameters. */
  readonly instanceTypes?: readonly string[];
}

const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

export const LIBRARIES: readonly Library[] = [
  { id: 'fetch', domain: 'http', modules: ['node-fetch', 'cross-fetch', 'isomorphic-fetch', 'isomorphic-unfetch'], requests: [[], ['fetch']] },
  { id: 'http', domain: 'http', modules: ['http'], requests: [['request'], ['get']] },
  { id: 'https', domain: 'http', modules: ['https'], requests: [['request'], ['get']] },
  {
    id: 'axios',
    domain: 'http',
    modules: ['axios'],
    requests: [[], ['request'], ...[...HTTP_VERBS, 'postForm', 'putForm', 'patchForm'].map((verb) => [verb])],
    factories: [['create']],
    instanceRequests: ['call', 'request', ...HTTP_VERBS, 'postForm', 'putForm', 'patchForm'],
    instanceTypes: ['AxiosInstance', 'AxiosStatic'],
  },
  {
    id: 'got',
    domain: 'http',
    modules: ['got'],
    requests: [[], ['stream'], ['paginate'], ...HTTP_VERBS.map((verb) => [verb])],
    factories: [['extend']],
    instanceRequests: ['call', 'stream', 'paginate', ...HTTP_VERBS],
    derive: ['extend'],
    instanceTypes: ['Got'],
  },
  {
    id: 'undici',
    domain: 'http',
    modules: ['undici'],
    requests: [['request'], ['fetch'], ['stream'], ['pipeline']],
    constructors: [['Client'], ['Pool']],
    instanceRequests: ['request', 'stream', 'pipeline', 'dispatch'],
    instanceTypes: ['Client', 'Pool', 'Dispatcher'],
  },
  {
    id: 'pg',
    domain: 'db',
    modules: ['pg'],
    defaultPort: 5432,
    constructors: [['Pool'], ['Client'], ['native', 'Pool'], ['native', 'Client']],
    derive: ['connect'],
    instanceTypes: ['Pool', 'Client', 'PoolClient', 'ClientBase'],
  },
  {
    id: 'mysql2',
    domain: 'db',
    modules: ['mysql2', 'mysql2/promise'],
    defaultPort: 3306,
    factories: [['createConnection'], ['createPool'], ['createPoolCluster']],
    derive: ['getConnection', 'promise'],
    instanceTypes: ['Connection', 'Pool', 'PoolConnection', 'PoolCluster'],
  },
  {
    id: 'ioredis',
    domain: 'cache',
    modules: ['ioredis'],
    defaultPort: 6379,
    constructors: [[], ['Redis'], ['Cluster'], ['Redis', 'Cluster']],
    derive: ['pipeline', 'multi', 'duplicate'],
    instanceTypes: ['Redis', 'Cluster'],
  },
  {
    id: 'redis',
    domain: 'cache',
    modules: ['redis', '@redis/client'],
    defaultPort: 6379,
    factories: [['createClient'], ['createCluster']],
    derive: ['multi', 'duplicate'],
    instanceTypes: ['RedisClientType', 'RedisClusterType'],
  },
  {
    id: 'amqplib',
    domain: 'tcp',
    modules: ['amqplib', 'amqplib/callback_api'],
    defaultPort: 5672,
    factories: [['connect']],
    derive: ['createChannel', 'createConfirmChannel'],
    instanceTypes: ['Connection', 'Channel', 'ConfirmChannel', 'ChannelModel'],
  },
  { id: 'mqtt', domain: 'tcp', modules: ['mqtt'], defaultPort: 1883, factories: [['connect'], ['connectAsync']], instanceTypes: ['MqttClient'] },
  { id: 'nats', domain: 'tcp', modules: ['nats'], defaultPort: 4222, factories: [['connect']], derive: ['jetstream'], instanceTypes: ['NatsConnection'] },
  {
    id: 'kafkajs',
    domain: 'tcp',
    modules: ['kafkajs'],
    defaultPort: 9092,
    constructors: [['Kafka']],
    derive: ['producer', 'consumer', 'admin'],
    instanceTypes: ['Kafka', 'Producer', 'Consumer', 'Admin'],
  },
  // gRPC has no registered port: 50051 is the one its examples and most services use. A tcp rule must name a port.
  { id: '@grpc/grpc-js', domain: 'tcp', modules: ['@grpc/grpc-js'], defaultPort: 50051, constructors: [['Client']], instanceTypes: ['Client'] },
];

/** The library of the global `fetch`. */
export const GLOBAL_FETCH: Library = LIBRARIES[0] as Library;

const BY_MODULE = new Map(LIBRARIES.flatMap((library) => library.modules.map((module) => [module, library] as const)));

/** The library a module specifier loads, or undefined. */
export function libraryOf(specifier: string): Library | undefined {
  return BY_MODULE.get(specifier.startsWith('node:') ? specifier.slice(5) : specifier);
}

/** Whether `path` (with leading `default` steps dropped) is one of `paths`. */
export function hasPath(paths: readonly (readonly string[])[] | undefined, path: readonly string[]): boolean {
  if (paths === undefined) return false;
  const normal = normalPath(path);
  return paths.some((candidate) => candidate.length === normal.length && candidate.every((step, i) => step === normal[i]));
}

/** A module path without the `default` steps that ESM interop adds (`import pg from 'pg'; pg.default.Pool`). */
export function normalPath(path: readonly string[]): string[] {
  return path.filter((step) => step !== 'default');
}

/** Instance methods that manage the client itself rather than reach the dependency: no call site. */
export const LIFECYCLE_METHODS = new Set([
  'on',
  'once',
  'off',
  'addListener',
  'removeListener',
  'removeAllListeners',
  'emit',
  'listenerCount',
  'setMaxListeners',
  'end',
  'close',
  'quit',
  'disconnect',
  'destroy',
  'release',
  'unref',
  'ref',
  'then',
  'catch',
  'finally',
  'toString',
]);
