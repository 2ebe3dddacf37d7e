import { describe, expect, it } from 'vitest';
import { demoWanted } from '../../dev/world/demo-start.js';

describe('whether npm start runs the demo', () => {
  it.each([
    ['by default', [], {}, true],
    ['with --no-demo', ['--no-demo'], {}, false],
    ['with CONNECTOR_DEMO=off', [], { CONNECTOR_DEMO: 'off' }, false],
    ['with CONNECTOR_DEMO=0', [], { CONNECTOR_DEMO: '0' }, false],
    ['with CONNECTOR_DEMO=FALSE', [], { CONNECTOR_DEMO: 'FALSE' }, false],
    ['with CONNECTOR_DEMO=on', [], { CONNECTOR_DEMO: 'on' }, true],
    ['with CONNECTOR_DEMO empty', [], { CONNECTOR_DEMO: '' }, true],
  ])('%s', (_name, argv: string[], env: Record<string, string>, wanted) => {
    expect(demoWanted(argv, env)).toBe(wanted);
  });
});
