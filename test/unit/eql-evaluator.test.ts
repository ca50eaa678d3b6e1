import { strict as assert } from 'node:assert';
import { isRulecastError, RulecastError } from '../../src/diagnostics/diagnostic.js';
import { parseEql } from '../checkers/eql.js';
import { evaluateEql, evaluateEqlCondition, type EqlEvaluateOptions, type EqlEvent } from '../support/eql-evaluator.js';

const selects = (query: string, event: EqlEvent, opts?: EqlEvaluateOptions) => evaluateEql(parseEql(query), event, opts);

/** The three-valued truth of `any where <condition>`. */
const truth = (condition: string, event: EqlEvent, opts?: EqlEvaluateOptions) => evaluateEqlCondition(parseEql(`any where ${condition}`), event, opts);

function evaluationError(condition: string, event: EqlEvent): RulecastError {
  const query = `any where ${condition}`;
  try {
    evaluateEql(parseEql(query), event);
  } catch (err) {
    if (isRulecastError(err)) {
      assert.equal(err.code, 'eql-evaluate');
      return err;
    }
    throw err;
  }
  assert.fail(`expected an evaluation error for ${query}`);
}

/** Rows of [condition, event, expected truth] run as one `it` each. */
function table(rows: [string, EqlEvent, boolean | null][], opts?: EqlEvaluateOptions): void {
  for (const [condition, event, expected] of rows) {
    it(`${condition} on ${JSON.stringify(event)} is ${expected}`, () => {
      assert.equal(truth(condition, event, opts), expected);
    });
  }
}

describe('EQL evaluator: event category', () => {
  it('any matches every event, with or without a category', () => {
    assert.equal(selects('any where true', {}), true);
    assert.equal(selects('any where true', { event: { category: 'file' } }), true);
  });

  it('a category must equal event.category exactly', () => {
    assert.equal(selects('process where true', { 'event.category': 'process' }), true);
    assert.equal(selects('process where true', { event: { category: 'process' } }), true);
    assert.equal(selects('process where true', { event: { category: 'file' } }), false);
    assert.equal(selects('process where true', { event: { category: 'Process' } }), false);
    assert.equal(selects('process where true', {}), false);
  });

  it('a list of categories matches when one element does', () => {
    assert.equal(selects('network where true', { event: { category: ['process', 'network'] } }), true);
  });

  it('a string category is its decoded value', () => {
    assert.equal(selects('"my-category" where true', { event: { category: 'my-category' } }), true);
  });

  it('can use another category field or ignore the category', () => {
    assert.equal(selects('process where true', { type: 'process' }, { categoryField: 'type' }), true);
    assert.equal(selects('process where x == 1', { x: 1 }, { ignoreCategory: true }), true);
    assert.equal(selects('process where x == 1', { x: 1 }), false);
  });

  it('evaluates the condition of events of other categories too, so errors do not depend on the event', () => {
    assert.throws(() => selects('process where x regex "(a"', { event: { category: 'file' } }), /Elasticsearch would reject this regular expression/);
  });

  it('still needs the condition to be true', () => {
    assert.equal(selects('process where x == 1', { event: { category: 'process' }, x: 2 }), false);
  });
});

describe('EQL evaluator: field access', () => {
  table([
    ['process.name == "a"', { 'process.name': 'a' }, true],
    ['process.name == "a"', { process: { name: 'a' } }, true],
    ['process.parent.name == "a"', { process: { 'parent.name': 'a' } }, true],
    ['process.parent.name == "a"', { 'process.parent': { name: 'a' } }, true],
    ['`process.name` == "a"', { process: { name: 'a' } }, true], // a backquoted dotted name is the same field
    ['process.name == "a"', { process: [{ name: 'b' }, { name: 'a' }] }, true], // objects in a list are flattened
    ['process.name == "a"', { process: { name: null } }, null],
    ['process.name == "a"', { process: 'a' }, null],
    ['`my-field` : "x"', { 'my-field': 'X' }, true],
  ]);

  it('refuses an object where a value is expected', () => {
    assert.match(evaluationError('process == "a"', { process: { name: 'a' } }).message, /field 'process' holds \{"name":"a"\}/);
  });
});

describe('EQL evaluator: three-valued logic (missing fields are null)', () => {
  table([
    ['x : "a"', {}, null],
    ['not x : "a"', {}, null],
    ['not (x : "a")', {}, null],
    ['x != "a"', {}, null],
    ['x not in ("a", "b")', {}, null],
    ['x < 5', {}, null],
    ['length(x) > 0', {}, null],
    ['not startsWith(x, "a")', {}, null],
    ['not cidrMatch(ip, "10.0.0.0/8")', {}, null],
    ['x', {}, null],
    ['x : "a" or y : "b"', { y: 'b' }, true],
    ['x : "a" or y : "b"', { y: 'c' }, null],
    ['x : "a" and y : "b"', { y: 'c' }, false],
    ['x : "a" and y : "b"', { y: 'b' }, null],
    ['not (x : "a" and y : "z")', { y: 'b' }, true],
    ['null', {}, null],
    ['null or true', {}, true],
    ['null and false', {}, false],
    ['not null', {}, null],
    ['null == null', {}, true], // IsNull(null)
    ['x == null', {}, true],
    ['x == null', { x: null }, true],
    ['x == null', { x: [] }, true],
    ['x == null', { x: '' }, false],
    ['null == x', { x: 'a' }, false],
    ['x != null', { x: '' }, true],
    ['x != null', {}, false],
    ['?x == null', {}, true],
    ['?x != null and ?x : "a"', { x: 'A' }, true],
  ]);

  it('process where not (x : "a") does not select an event without x', () => {
    assert.equal(selects('process where not (x : "a")', { event: { category: 'process' } }), false);
    assert.equal(selects('process where not (x : "a")', { event: { category: 'process' }, x: 'b' }), true);
    assert.equal(selects('process where not (x : "a")', { event: { category: 'process' }, x: 'A' }), false);
  });

  describe("logic: 'lucene' (Elasticsearch's bool.must_not translation)", () => {
    table(
      [
        ['x : "a"', {}, false],
        ['not x : "a"', {}, true],
        ['x != "a"', {}, true],
        ['x not in ("a")', {}, true],
        ['x == null', {}, true],
        ['x != null', {}, false],
        ['not x : "a"', { x: 'A' }, false],
      ],
      { logic: 'lucene' },
    );

    it('a guarded negation selects the same events in both readings', () => {
      const query = parseEql('any where y == 1 and (?x == null or not x : "a")');
      for (const event of [{ y: 1 }, { y: 1, x: 'a' }, { y: 1, x: 'b' }, { y: 1, x: null }, { y: 2 }]) {
        assert.equal(evaluateEql(query, event), evaluateEql(query, event, { logic: 'lucene' }), JSON.stringify(event));
      }
      assert.equal(evaluateEql(query, { y: 1 }), true);
    });

    it('an unguarded negation depends on the reading', () => {
      const query = parseEql('any where y == 1 and not x : "a"');
      assert.equal(evaluateEql(query, { y: 1 }), false);
      assert.equal(evaluateEql(query, { y: 1 }, { logic: 'lucene' }), true);
    });
  });
});

describe('EQL evaluator: == and != are exact and case-sensitive', () => {
  table([
    ['x == "abc"', { x: 'abc' }, true],
    ['x == "abc"', { x: 'ABC' }, false],
    ['x == "a*"', { x: 'abc' }, false], // no wildcards
    ['x == "a*"', { x: 'a*' }, true],
    ['x != "abc"', { x: 'ABC' }, true],
    ['x != "abc"', { x: 'abc' }, false],
    ['x == ""', { x: '' }, true],
    ['"abc" == x', { x: 'abc' }, true],
  ]);
});

describe('EQL evaluator: ":" and like~ are case-insensitive wildcards, like is case-sensitive', () => {
  table([
    ['x : "abc"', { x: 'ABC' }, true],
    ['x : "a*"', { x: 'ABC' }, true],
    ['x : "*b*"', { x: 'abc' }, true],
    ['x : "*B"', { x: 'abc' }, false],
    ['x : "a?c"', { x: 'abc' }, true],
    ['x : "a?c"', { x: 'ac' }, false],
    ['x : "a?c"', { x: 'a💩c' }, true], // ? is one character, also outside the BMP
    ['x : "a*c"', { x: 'a\nb\nc' }, true], // * crosses line breaks
    ['x : "C:\\\\Windows\\\\*"', { x: 'c:\\windows\\system32\\cmd.exe' }, true], // a backslash is literal
    ['x : "*\\\\*"', { x: 'no backslash' }, false],
    ['x : ("a", "b*")', { x: 'BCD' }, true],
    ['x : ("a", "b*")', { x: 'c' }, false],
    ['x : "é"', { x: 'É' }, false], // ASCII letters only
    ['x : "é"', { x: 'é' }, true],
    ['x like "A*"', { x: 'Abc' }, true],
    ['x like "A*"', { x: 'abc' }, false],
    ['x like ("a", "B?")', { x: 'Bc' }, true],
    ['x like~ "A*"', { x: 'abc' }, true],
    ['x like~ ("1234", "5678")', { x: 5678 }, true], // a JSON number in a keyword field is its text
  ]);

  it('patterns must be strings', () => {
    assert.match(evaluationError('x like~ (1234, 5678)', { x: '1234' }).message, /'like~' can only compare strings; the pattern is the number 1234/);
    assert.match(evaluationError('x : null', { x: 'a' }).message, /':' can only compare strings; the pattern is null/);
  });
});

describe('EQL evaluator: regex and regex~ are anchored Lucene expressions', () => {
  table([
    ['x regex "abc"', { x: 'abc' }, true],
    ['x regex "b"', { x: 'abc' }, false],
    ['x regex ".*b.*"', { x: 'abc' }, true],
    ['x regex "a\\\\d+"', { x: 'a123' }, true], // the EQL string "a\\d+" is the regex a\d+
    ['x regex """a\\d+"""', { x: 'a123' }, true],
    ['x regex "ABC"', { x: 'abc' }, false],
    ['x regex~ "ABC"', { x: 'abc' }, true],
    ['x regex~ "[A-C]+"', { x: 'abc' }, false], // ranges do not fold
    ['x regex ("a", "b.")', { x: 'bc' }, true],
    ['x regex ("a", "b.")', { x: 'c' }, false],
    ['x regex "^a$"', { x: 'a' }, false], // ^ and $ are literal
    ['x regex "user@corp\\\\.com"', { x: 'user-at-corp.com' }, true], // @ is "any string"
    ['not x regex "a.*"', { x: 'b' }, true],
    ['x regex "a.*"', {}, null],
  ]);

  it('an invalid Lucene pattern is an error naming the problem', () => {
    assert.match(evaluationError('x regex "\\\\n"', { x: 'n' }).message, /Elasticsearch would reject this regular expression: invalid character class \\n/);
    assert.match(evaluationError('x regex "(a"', { x: 'a' }).message, /Elasticsearch would reject/);
  });

  it('Lucene operators RE2 cannot run are an error, not a different match', () => {
    assert.match(evaluationError('x regex "a&b"', { x: 'a' }).message, /cannot be evaluated: the intersection operator/);
  });
});

describe('EQL evaluator: in, in~ and not in', () => {
  table([
    ['x in ("a", "b")', { x: 'b' }, true],
    ['x in ("a", "b")', { x: 'B' }, false],
    ['x in ("a*")', { x: 'abc' }, false],
    ['x in~ ("a", "b")', { x: 'B' }, true],
    ['x in~ ("é")', { x: 'É' }, false],
    ['x not in ("a", "b")', { x: 'c' }, true],
    ['x not in ("a", "b")', { x: 'a' }, false],
    ['x not in~ ("A")', { x: 'a' }, false],
    ['x in (1, 2, 3)', { x: 2 }, true],
    ['x in (1, 2, 3)', { x: '2' }, true],
    ['x in (-1)', { x: -1 }, true],
    ['x in ("a", null)', { x: 'a' }, true],
    ['x in ("a", null)', { x: 'b' }, null], // SQL: no match and a null in the list
    ['x not in ("a", null)', { x: 'b' }, null],
  ]);

  it('list values must be constants', () => {
    assert.match(evaluationError('x in ("a", y)', { x: 'a', y: 'a' }).message, /must be constants/);
  });

  it('in~ compares strings', () => {
    assert.match(evaluationError('x in~ (1)', { x: 1 }).message, /'in~' compares strings/);
  });
});

describe('EQL evaluator: numbers, booleans and ordering', () => {
  table([
    ['x > 5', { x: 10 }, true],
    ['x > 5', { x: 5 }, false],
    ['x >= 5', { x: 5 }, true],
    ['x < 5.5', { x: 5 }, true],
    ['x > 5', { x: '10' }, true], // a numeric string in a numeric field is the number
    ['x > 5', { x: 'ten' }, null], // cannot be indexed as a number
    ['x == 4688', { x: '4688' }, true],
    ['x == 4688', { x: 4688.0 }, true],
    ['x == 4688', { x: ' 4688 ' }, true],
    ['x : "4688"', { x: 4688 }, true],
    ['x == "4688"', { x: 4688 }, true],
    ['x == -1', { x: -1 }, true],
    ['x == 1e3', { x: 1000 }, true],
    ['x == true', { x: true }, true],
    ['x == true', { x: 'true' }, true],
    ['x == false', { x: true }, false],
    ['x', { x: true }, true],
    ['x', { x: false }, false],
    ['x < "b"', { x: 'a' }, true],
    ['x < "b"', { x: 'B' }, true], // case-sensitive order: upper case sorts first
    ['x < "z"', { x: 'é' }, false], // code point order
    ['x < "💩"', { x: '\ufffd' }, true], // code point order, not UTF-16 order
  ]);

  it('refuses comparisons Elasticsearch refuses', () => {
    assert.match(evaluationError('a == b', { a: 1, b: 1 }).message, /cannot compare a field with another field/);
    assert.match(evaluationError('1 == "1"', {}).message, /cannot compare the number 1 with the string "1"/);
    assert.match(evaluationError('x < true', { x: false }).message, /'<' cannot order boolean values/);
  });

  it('a condition must be boolean', () => {
    assert.match(evaluationError('x', { x: 'abc' }).message, /a condition must be boolean, but this is the string "abc"/);
  });
});

describe('EQL evaluator: multi-valued fields match when one element does', () => {
  table([
    ['x == "a"', { x: ['b', 'a'] }, true],
    ['x != "a"', { x: ['b', 'a'] }, false], // no element may equal it
    ['x != "a"', { x: ['b', 'c'] }, true],
    ['x : "a*"', { x: ['xyz', 'ABC'] }, true],
    ['not x : "a*"', { x: ['abc', 'def'] }, false],
    ['x in ("c")', { x: ['a', 'c'] }, true],
    ['x not in ("c")', { x: ['a', 'c'] }, false],
    ['x > 5', { x: [1, 10] }, true],
    ['x == "a"', { x: [null, 'a'] }, true],
    ['length(x) == 3', { x: ['ab', 'abc'] }, true],
    ['cidrMatch(ip, "10.0.0.0/8")', { ip: ['192.168.0.1', '10.1.2.3'] }, true],
  ]);
});

describe('EQL evaluator: functions', () => {
  table([
    // cidrMatch
    ['cidrMatch(ip, "10.0.0.0/8")', { ip: '10.20.30.40' }, true],
    ['cidrMatch(ip, "10.0.0.0/8")', { ip: '11.0.0.1' }, false],
    ['cidrMatch(ip, "192.168.0.0/16", "10.0.0.0/8")', { ip: '10.0.0.1' }, true],
    ['cidrMatch(ip, "fe80::/10")', { ip: 'fe80::1' }, true],
    ['cidrMatch(ip, "fe80::/10")', { ip: '2001:db8::1' }, false],
    ['cidrMatch(ip, "10.0.0.0/8")', { ip: 'fe80::1' }, false],
    ['cidrMatch(ip, "::ffff:0:0/96")', { ip: '10.0.0.1' }, true], // IPv4 is IPv4-mapped IPv6 in an ip field
    ['cidrMatch(ip, "10.0.0.1")', { ip: '10.0.0.1' }, true], // a single address
    ['cidrMatch(ip, "10.0.0.0/8")', { ip: 'not an ip' }, null],
    ['cidrMatch(ip, "10.0.0.0/8", null)', { ip: '10.0.0.1' }, null],
    // startsWith, endsWith, stringContains
    ['startsWith(x, "cmd")', { x: 'cmd.exe' }, true],
    ['startsWith(x, "CMD")', { x: 'cmd.exe' }, false],
    ['startsWith~(x, "CMD")', { x: 'cmd.exe' }, true],
    ['startsWith(x, "")', { x: 'cmd.exe' }, true],
    ['endsWith(x, ".exe")', { x: 'cmd.exe' }, true],
    ['endsWith(x, ".EXE")', { x: 'cmd.exe' }, false],
    ['endsWith~(x, ".EXE")', { x: 'cmd.exe' }, true],
    ['stringContains(x, "d.e")', { x: 'cmd.exe' }, true],
    ['stringContains(x, "D.E")', { x: 'cmd.exe' }, false],
    ['stringContains~(x, "D.E")', { x: 'cmd.exe' }, true],
    ['stringContains("", "")', {}, false], // as documented
    ['startsWith(x, null)', { x: 'a' }, null],
    ['startsWith~(x, "É")', { x: 'Éa' }, true], // same result under ASCII and Unicode folding
    // length, string, concat
    ['length(x) == 7', { x: 'cmd.exe' }, true],
    ['length(x) == 2', { x: '💩' }, true], // UTF-16 code units, as Java's String.length()
    ['length(x) == 4', { x: 4688 }, true],
    ['string(x) == "4688"', { x: 4688 }, true],
    ['concat(x, "-", y) == "a-1"', { x: 'a', y: 1 }, true],
    ['concat(x, y) == "a"', { x: 'a' }, null],
    // wildcard (Elasticsearch 7.x)
    ['wildcard(x, "*.exe", "*.dll")', { x: 'a.dll' }, true],
    ['wildcard(x, "*.EXE")', { x: 'a.exe' }, false],
    ['wildcard~(x, "*.EXE")', { x: 'a.exe' }, true],
    // function results in comparisons
    ['startsWith(x, "a") == false', { x: 'b' }, true],
    ['cidrMatch(ip, "10.0.0.0/8") != true', { ip: '11.0.0.1' }, true],
  ]);

  it('refuses what it cannot decide faithfully', () => {
    assert.match(evaluationError('startsWith~(x, "é")', { x: 'Éa' }).message, /depends on non-ASCII case folding/);
    assert.match(evaluationError('stringContains(x, "")', { x: 'a' }).message, /stringContains with an empty substring is ambiguous/);
    assert.match(evaluationError('cidrMatch(ip, "10.0.0.0/33")', { ip: '10.0.0.1' }).message, /'10.0.0.0\/33' is not an IP address or CIDR block/);
    assert.match(evaluationError('cidrMatch~(ip, "10.0.0.0/8")', { ip: '10.0.0.1' }).message, /cidrMatch has no case-insensitive form/);
    assert.match(evaluationError('startsWith(x)', { x: 'a' }).message, /startsWith takes 2 arguments, not 1/);
    assert.match(evaluationError('between(x, "a", "b") == ""', { x: 'a' }).message, /does not implement the EQL function 'between'/);
  });
});

describe('EQL evaluator: pipes and errors', () => {
  it('head and tail do not change whether one event is selected, except with 0', () => {
    assert.equal(selects('any where true | head 5', {}), true);
    assert.equal(selects('any where true | tail 1', {}), true);
    assert.equal(selects('any where true | head 0', {}), false);
  });

  it('an evaluation error points at the part of the query it is about', () => {
    const query = 'any where x : "a" and y regex "(b"';
    try {
      evaluateEql(parseEql(query), { x: 'a', y: 'b' });
      assert.fail('expected an error');
    } catch (err) {
      assert.ok(isRulecastError(err));
      const where = err.diagnostic.span!;
      assert.equal(query.slice(where.start, where.end), 'y regex "(b"');
    }
  });
});
