// The JSON Schema IT can point editors at, and the example in the README's IT section,
// must both agree with what the app actually accepts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { MACHINE_KEYS, parseMachineFile } from './config.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const schema = JSON.parse(readFileSync(path.join(HERE, 'config.schema.json'), 'utf8')) as { properties: Record<string, { type?: string; $ref?: string }> };
const validate = new Ajv({ allErrors: true }).compile(schema);
const FILE = '/etc/tray-notify/config.json';

function docExample(): string {
  const doc = readFileSync(path.join(HERE, '..', '..', '..', '..', 'README.md'), 'utf8');
  const match = /### Machine-wide configuration[\s\S]*?```json\n([\s\S]*?)```/.exec(doc);
  if (match?.[1] === undefined) throw new Error('README.md has no JSON example under "Machine-wide configuration"');
  return match[1];
}

describe('config.schema.json', () => {
  it('describes exactly the keys the app reads, with their types', () => {
    const { $schema: _, ...keys } = schema.properties;
    expect(Object.keys(keys).sort()).toEqual(Object.keys(MACHINE_KEYS).sort());
    for (const [key, spec] of Object.entries(MACHINE_KEYS)) {
      expect(keys[key], key).toEqual(expect.objectContaining(spec.kind === 'url' ? { $ref: '#/definitions/url' } : { type: 'boolean' }));
    }
  });

  it('accepts the documented example, which the app also reads without a problem', () => {
    const example = docExample();
    expect(validate(JSON.parse(example)), JSON.stringify(validate.errors)).toBe(true);
    const parsed = parseMachineFile(example, FILE);
    expect(parsed.problems).toEqual([]);
    expect(Object.keys(parsed.settings).sort()).toEqual(Object.keys(MACHINE_KEYS).sort());
  });

  it.each([
    [{ serverUrl: 'notify.acme.com' }],
    [{ serverUrl: 'ftp://notify.acme.com' }],
    [{ serverUrl: 'https://admin:pw@notify.acme.com' }],
    [{ updateFeedUrl: 'https://files.acme.com/?x=1' }],
    [{ autoUpdate: 'yes' }],
    [{ serverURL: 'https://notify.acme.com' }],
  ])('rejects %j, as the app does', (config) => {
    expect(validate(config)).toBe(false);
    expect(parseMachineFile(JSON.stringify(config), FILE).problems).toHaveLength(1);
  });

  it('allows comments and a $schema reference, which the app skips', () => {
    const config = { $schema: './config.schema.json', '// owner': 'IT desk, ext. 4711', autoUpdate: false };
    expect(validate(config)).toBe(true);
    expect(parseMachineFile(JSON.stringify(config), FILE)).toEqual({ settings: { autoUpdate: false }, problems: [] });
  });
});
