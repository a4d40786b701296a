/**
 * ioredis: faults `Redis.prototype.sendCommand` (every command, script and `call()`; pipelines and
 * `multi()` are faulted as one call at `Pipeline.prototype.exec`).
 */
import path from 'node:path';
import { originalOf, patchProperty } from '../runtime/patches';
import type { DriverAdapter } from './index';
import { connectionRefused, type DriverRules } from './faults';
import type { RealmLoader } from './loader';

interface IoCommand {
  name: string;
  args: unknown[];
  promise: Promise<unknown>;
  reject(error: unknown): void;
}

interface IoRedis {
  status: string;
  options: { host?: string; port?: number; retryStrategy?: ((times: number) => unknown) | null; maxRetriesPerRequest?: number | null };
  stream?: { destroy(): void };
  disconnect(): void;
  silentEmit(event: string, ...args: unknown[]): unknown;
}

interface IoPipeline {
  redis: IoRedis;
  _queue: IoCommand[];
}

type ErrorClass = new (message: string) => Error;

export const ioredisAdapter: DriverAdapter = {
  driver: 'ioredis',
  domain: 'cache',
  install(rules: DriverRules, load: RealmLoader, dir: string): void {
    const ioredis = load(path.join(dir, 'built', 'index.js')) as { Redis: { prototype: Record<string, unknown> }; Pipeline: { prototype: Record<string, unknown> } };
    const { SimpleError } = load(path.join(dir, 'built', 'resp', 'errors.js')) as { SimpleError: ErrorClass };
    const { MaxRetriesPerRequestError } = load(path.join(dir, 'built', 'errors', 'index.js')) as { MaxRetriesPerRequestError: new (limit: number) => Error };
    const redisProto = ioredis.Redis.prototype;
    const pipelineProto = ioredis.Pipeline.prototype;
    const sendCommand = originalOf(redisProto.sendCommand) as (this: IoRedis, command: IoCommand, stream?: unknown) => Promise<unknown>;
    const exec = originalOf(pipelineProto.exec) as (this: IoPipeline, ...args: unknown[]) => Promise<unknown>;

    /** Without retries (`retryStrategy` gives no delay), a refused client ends; otherwise it keeps retrying. */
    const retries = (client: IoRedis): boolean => {
      const strategy = client.options.retryStrategy;
      return typeof strategy !== 'function' || typeof strategy(1) === 'number';
    };

    /**
     * The server refuses connections: the client reports the socket error on `'error'`; without retries it
     * ends (commands then fail with "Connection is closed."), with retries each command fails with
     * MaxRetriesPerRequestError once its retries are used up (it never settles when the limit is null).
     */
    const refuse = (client: IoRedis): Error | 'closed' | 'never' => {
      client.silentEmit('error', connectionRefused(client.options.host, client.options.port ?? 6379));
      if (!retries(client)) {
        client.disconnect();
        return 'closed';
      }
      const limit = client.options.maxRetriesPerRequest;
      return limit === null || limit === undefined ? 'never' : new MaxRetriesPerRequestError(limit);
    };

    function chaosSendCommand(this: IoRedis, command: IoCommand, stream?: unknown): Promise<unknown> {
      // Pipelined commands are faulted with their pipeline; the handshake (status `connect`) is never faulted.
      if (stream !== undefined || this.status === 'connect') return sendCommand.call(this, command, stream);
      const { delay, kind } = rules.decide(command.name);
      if (kind === undefined && delay === 0) return sendCommand.call(this, command, stream);
      const client = this;
      void rules.wait(delay).then(() => {
        switch (kind) {
          case undefined:
            return void sendCommand.call(client, command);
          case 'lost':
            // The command goes out and the socket closes under it: ioredis's own close handling decides
            // (fails it, retries it, or resends it after reconnecting, by the client's options).
            void sendCommand.call(client, command).catch(() => undefined);
            return void client.stream?.destroy();
          case 'down': {
            const outcome = refuse(client);
            if (outcome === 'closed') return void sendCommand.call(client, command);
            if (outcome !== 'never') command.reject(outcome);
            return;
          }
          case 'timeout':
            return command.reject(new rules.Error('Command timed out'));
          case 'error':
            return command.reject(Object.assign(new SimpleError('ERR syntax error'), { command: { name: command.name.toUpperCase(), args: command.args } }));
        }
      });
      return command.promise;
    }

    function chaosExec(this: IoPipeline, ...args: unknown[]): Promise<unknown> {
      const client = this.redis;
      const { delay, kind } = rules.decide(this._queue.map((command) => command.name).join(' ') || 'exec');
      if (kind === undefined && delay === 0) return exec.apply(this, args);
      const pipeline = this;
      return rules.wait(delay).then(async () => {
        switch (kind) {
          case undefined:
            return exec.apply(pipeline, args);
          case 'lost': {
            const result = exec.apply(pipeline, args);
            client.stream?.destroy();
            return result;
          }
          case 'down': {
            const outcome = refuse(client);
            if (outcome === 'closed') return exec.apply(pipeline, args);
            if (outcome === 'never') return new Promise<never>(() => undefined);
            return pipeline._queue.map(() => [outcome, null]);
          }
          case 'timeout':
            return pipeline._queue.map(() => [new rules.Error('Command timed out'), null]);
          case 'error': {
            // The first command is answered with the server's error; the others run.
            const [first] = pipeline._queue;
            const results = (await exec.apply(pipeline, args)) as unknown[][];
            const error = Object.assign(new SimpleError('ERR syntax error'), { command: { name: (first?.name ?? '').toUpperCase(), args: first?.args ?? [] } });
            return [[error], ...results.slice(1)];
          }
        }
      });
    }

    rules.test.disposers.add(patchProperty(redisProto, 'sendCommand', chaosSendCommand, 'ioredis Redis.prototype.sendCommand', rules.test));
    rules.test.disposers.add(patchProperty(pipelineProto, 'exec', chaosExec, 'ioredis Pipeline.prototype.exec', rules.test));
  },
};
