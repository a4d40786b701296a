/**
 * Produces every real database and cache failure against the loopback servers and checks that each
 * driver still fails exactly as recorded in support/db/real-shapes.json, so a driver upgrade that
 * changes its errors is caught. `JEST_CHAOS_RECORD_SHAPES=1` re-records the fixture instead.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROBES, recordAll, type ProbeRecord } from './support/db/real-db-failures';

const FIXTURE = join(__dirname, 'support', 'db', 'real-shapes.json');
const recording = process.env['JEST_CHAOS_RECORD_SHAPES'] === '1';

if (recording) {
  test('records support/db/real-shapes.json', async () => {
    const live = await recordAll();
    writeFileSync(FIXTURE, `${JSON.stringify(live, null, 2)}\n`);
    expect(Object.keys(live)).toHaveLength(PROBES.length);
  }, 30_000);
} else {
  describe('real database and cache failures', () => {
    const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, ProbeRecord>;
    let live: Record<string, ProbeRecord> = {};

    beforeAll(async () => {
      live = await recordAll();
    }, 30_000);

    test('the fixture covers exactly the probes in the harness', () => {
      expect(Object.keys(recorded).sort()).toEqual(PROBES.map((probe) => probe.id).sort());
    });

    test.each(PROBES.map((probe) => [probe.id]))('%s matches the recorded shape', (id) => {
      expect(live[id]).toEqual(recorded[id]);
    });
  });
}
