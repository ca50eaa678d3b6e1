import { strict as assert } from 'node:assert';
import { evaluate, readEvents } from '../../src/index.js';
import { lowerDetection } from '../support/rules.js';
import type { Event } from '../../src/ir/evaluate.js';

/** Which of the events a detection matches (indices). */
function matches(detection: string, events: Event[]): number[] {
  const expr = lowerDetection(detection);
  return events.flatMap((e, i) => (evaluate(expr, e) ? [i] : []));
}

describe('evaluator (Sigma semantics)', () => {
  it('strings are case-insensitive unless cased', () => {
    const events = [{ Image: 'C:\\WINDOWS\\cmd.exe' }, { Image: 'c:\\windows\\CMD.EXE' }, { Image: 'C:\\Windows\\cmd.exe.bak' }];
    assert.deepEqual(matches("sel:\n  Image: 'C:\\Windows\\cmd.exe'\ncondition: sel", events), [0, 1]);
    assert.deepEqual(matches("sel:\n  Image|cased|endswith: '\\cmd.exe'\ncondition: sel", events), [0]);
  });

  it('case-insensitive compares character by character, each by its own lower case (src/ir/case.ts)', () => {
    const events = [{ F: '\u0130' }, { F: 'i\u0307' }, { F: 'I' }, { F: 'ΑΣ' }, { F: '\u212a' }, { F: 'K' }];
    assert.deepEqual(matches("sel:\n  F: '\u0130'\ncondition: sel", events), [0]);
    assert.deepEqual(matches("sel:\n  F: '?'\ncondition: sel", events), [0, 2, 4, 5]);
    assert.deepEqual(matches("sel:\n  F|endswith: 'σ'\ncondition: sel", events), [3]);
    assert.deepEqual(matches("sel:\n  F|endswith: 'ς'\ncondition: sel", events), []);
    assert.deepEqual(matches("sel:\n  F: 'k'\ncondition: sel", events), [5]);
  });

  it('wildcards: * any run, ? exactly one character, escaped ones literal', () => {
    const events = [{ F: 'prog1.exe' }, { F: 'prog.exe' }, { F: 'prog12.exe' }, { F: 'a*b' }, { F: 'aXb' }, { F: 'prog€.exe' }];
    assert.deepEqual(matches("sel:\n  F: 'prog?.exe'\ncondition: sel", events), [0, 5]);
    assert.deepEqual(matches("sel:\n  F: 'prog*.exe'\ncondition: sel", events), [0, 1, 2, 5]);
    assert.deepEqual(matches("sel:\n  F: 'a\\*b'\ncondition: sel", events), [3]);
    assert.deepEqual(matches("sel:\n  F: 'a*b'\ncondition: sel", events), [3, 4]);
  });

  it('a wildcard in the middle keeps order and anchoring', () => {
    const events = [{ F: 'foo-bar' }, { F: 'bar-foo' }, { F: 'xfoo-barx' }];
    assert.deepEqual(matches("sel:\n  F: 'foo*bar'\ncondition: sel", events), [0]);
  });

  it('pathological wildcard patterns stay fast (no exponential backtracking)', () => {
    const text = 'a'.repeat(5000);
    const started = Date.now();
    assert.deepEqual(matches("sel:\n  F: '*a*a*a*a*a*a*a*a*a*b'\ncondition: sel", [{ F: text }]), []);
    assert.ok(Date.now() - started < 5000);
  });

  it('regex: unanchored search, case-sensitive unless i, inline flags, RE2', () => {
    const events = [{ F: 'xxABC123' }, { F: 'abc123' }, { F: 'line1\nABC' }];
    assert.deepEqual(matches("sel:\n  F|re: 'ABC\\d+'\ncondition: sel", events), [0]);
    assert.deepEqual(matches("sel:\n  F|re|i: 'abc\\d+'\ncondition: sel", events), [0, 1]);
    assert.deepEqual(matches("sel:\n  F|re: '(?i)^abc'\ncondition: sel", events), [1]);
    assert.deepEqual(matches("sel:\n  F|re|m: '^ABC$'\ncondition: sel", events), [2]);
    assert.deepEqual(matches("sel:\n  F|re|s: 'line1.ABC'\ncondition: sel", events), [2]);
  });

  it('cidr for IPv4 and IPv6; other families never match', () => {
    const events = [{ Ip: '10.1.2.3' }, { Ip: '192.168.1.1' }, { Ip: 'fe80::1' }, { Ip: 'not an ip' }, { Ip: '::ffff:10.0.0.1' }];
    assert.deepEqual(matches("sel:\n  Ip|cidr: 10.0.0.0/8\ncondition: sel", events), [0]);
    assert.deepEqual(matches("sel:\n  Ip|cidr: 'fe80::/10'\ncondition: sel", events), [2]);
    assert.deepEqual(matches("sel:\n  Ip|cidr: '::ffff:0:0/96'\ncondition: sel", events), [4]);
  });

  it('numbers: comparisons and equality with textual numbers', () => {
    const events = [{ N: 5 }, { N: '10' }, { N: 'x' }, {}];
    assert.deepEqual(matches('sel:\n  N|gt: 6\ncondition: sel', events), [1]);
    assert.deepEqual(matches('sel:\n  N|lte: 5\ncondition: sel', events), [0]);
    assert.deepEqual(matches('sel:\n  N: 10\ncondition: sel', events), [1]);
    assert.deepEqual(matches('sel:\n  N|gt: 6\ncondition: not sel', events), [0, 2, 3]);
  });

  it('null means absent (or null), not empty; exists means present', () => {
    const events = [{ F: '' }, {}, { F: null }, { F: 'x' }];
    assert.deepEqual(matches('sel:\n  F: null\ncondition: sel', events), [1, 2]);
    assert.deepEqual(matches("sel:\n  F: ''\ncondition: sel", events), [0]);
    assert.deepEqual(matches('sel:\n  F|exists: true\ncondition: sel', events), [0, 2, 3]);
    assert.deepEqual(matches('sel:\n  F|exists: false\ncondition: sel', events), [1]);
  });

  it('a missing field matches no value, so its negation matches', () => {
    const events = [{ A: 'x' }, { A: "x", B: "z" }];
    assert.deepEqual(matches('sel:\n  A: x\nfilter:\n  B: z\ncondition: sel and not filter', events), [0]);
  });

  it('keywords match as substrings of any field value', () => {
    const events = [{ A: 'run mimikatz now' }, { B: 'MIMIKATZ' }, { C: 'other' }, { D: 42 }];
    assert.deepEqual(matches('keywords:\n  - mimikatz\ncondition: keywords', events), [0, 1]);
    assert.deepEqual(matches("keywords:\n  - 'mimi*now'\ncondition: keywords", events), [0]);
    assert.deepEqual(matches('keywords:\n  - 42\ncondition: keywords', events), [3]);
    assert.deepEqual(matches("keywords:\n  '|all':\n    - run\n    - now\ncondition: keywords", events), [0]);
  });

  it('fieldref compares two fields case-insensitively', () => {
    const events = [{ A: 'Foo', B: 'foo' }, { A: 'Foo', B: 'bar' }, { A: 'Foo' }, { A: 'xFoox', B: 'foo' }];
    assert.deepEqual(matches('sel:\n  A|fieldref: B\ncondition: sel', events), [0]);
    assert.deepEqual(matches('sel:\n  A|fieldref|contains: B\ncondition: sel', events), [0, 3]);
  });

  it('a list field matches when any element does', () => {
    const events = [{ Args: ['-a', '-scan'] }, { Args: ['-b'] }];
    assert.deepEqual(matches('sel:\n  Args: -scan\ncondition: sel', events), [0]);
    assert.deepEqual(matches('sel:\n  Args: -scan\ncondition: not sel', events), [1]);
  });

  it('dotted field names reach nested JSON objects', () => {
    const events = [{ process: { name: 'nbtscan.exe', parent: { name: 'cmd.exe' } } }, { 'process.name': 'nbtscan.exe' }];
    assert.deepEqual(matches("sel:\n  process.parent.name: cmd.exe\ncondition: sel", events), [0]);
    assert.deepEqual(matches("sel:\n  process.name: NBTSCAN.EXE\ncondition: sel", events), [0, 1]);
  });

  it('time parts compare in UTC', () => {
    const events = [{ T: '2024-05-06T05:30:00Z' }, { T: '2024-05-06 23:59:00' }, { T: 'garbage' }];
    assert.deepEqual(matches('sel:\n  T|hour: 5\ncondition: sel', events), [0]);
    assert.deepEqual(matches('sel:\n  T|month: 5\ncondition: sel', events), [0, 1]);
    assert.deepEqual(matches('sel:\n  T|week: 19\ncondition: sel', events), [0, 1]);
  });
});

describe('event files', () => {
  it('reads JSON Lines, arrays and concatenated objects', () => {
    assert.equal(readEvents('{"a":1}\n{"a":2}\n').length, 2);
    assert.equal(readEvents('[{"a":1},{"a":2}]').length, 2);
    assert.equal(readEvents('{\n "a": "}"\n}\n{"a": "{"}').length, 2);
  });

  it('flattens Windows event-log objects', () => {
    const [e] = readEvents(
      JSON.stringify({
        Event: {
          System: { Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } }, EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'host' },
          EventData: { Image: 'C:\\x.exe', 'Source Name': 'svc', '#attributes': { Name: 'ignored' } },
        },
      }),
    );
    assert.deepEqual(e, { EventID: 1, Channel: 'Microsoft-Windows-Sysmon/Operational', Computer: 'host', Provider_Name: 'Microsoft-Windows-Sysmon', Image: 'C:\\x.exe', 'Source Name': 'svc', SourceName: 'svc' });
  });

  it('reads <Data Name="x"> lists and UserData', () => {
    const [e] = readEvents(JSON.stringify({ Event: { System: { EventID: 4688 }, EventData: { Data: [{ '#attributes': { Name: 'NewProcessName' }, '#text': 'C:\\a.exe' }] } } }));
    assert.deepEqual(e, { EventID: 4688, NewProcessName: 'C:\\a.exe' });
    const [u] = readEvents(JSON.stringify({ Event: { System: { EventID: 5858 }, UserData: { Op: { '#attributes': { xmlns: 'x' }, User: 'bob' } } } }));
    assert.deepEqual(u, { EventID: 5858, User: 'bob' });
  });

  it('bad JSON is an error with a position', () => {
    assert.throws(() => readEvents('{"a": 1}\n{"a": }'), /invalid JSON/);
    assert.throws(() => readEvents('hello'), /expected a JSON object/);
  });
});
