import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The run-time patch of grpc-js (patches/README.md) is written for exact versions: an upgrade of
 * either package fails here, pointing at the note that says what to check before moving on.
 */

/** The version of the package `name` as `from` loads it (its package.json may not be exported). */
function versionOf(name: string, from = import.meta.url): string {
  let dir = path.dirname(createRequire(from).resolve(name));
  while (!existsSync(path.join(dir, 'package.json')) || !dir.endsWith(path.join('node_modules', name))) {
    if (dir === path.dirname(dir)) throw new Error(`no package.json found for ${name}`);
    dir = path.dirname(dir);
  }
  return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

describe('the Pub/Sub stream guard', () => {
  it('runs on the versions patches/README.md names', () => {
    const pubsubClient = createRequire(import.meta.url).resolve('salesforce-pubsub-api-client');
    expect(versionOf('@grpc/grpc-js'), 'patches/README.md: redo the guard for this grpc-js').toBe('1.14.7');
    expect(versionOf('@grpc/grpc-js', pubsubClient), 'the Pub/Sub client must load the patched grpc-js').toBe(
      '1.14.7',
    );
    expect(versionOf('salesforce-pubsub-api-client'), 'patches/README.md: is the guard still needed?').toBe(
      '5.5.2',
    );
  });
});
