import { strict as assert } from 'node:assert';
import { parseSpl, parseSplEval } from '../checkers/spl.js';
import { isRulecastError } from '../../src/diagnostics/diagnostic.js';
import { evaluate } from '../../src/ir/evaluate.js';
import { and, not, or, pred, stringPred } from '../../src/ir/build.js';
import { parseSigmaString } from '../../src/ir/pattern.js';
import type { Expr } from '../../src/ir/types.js';
import { evaluateSpl, evaluateSplEval, pcreToRegExp, rawText, type SplEvent } from '../support/spl-evaluator.js';

const R = String.raw;

function keeps(query: string, event: SplEvent): boolean {
  return evaluateSpl(parseSpl(query), event);
}

/** [query, event, kept?] rows, each its own test. */
function table(rows: [string, SplEvent, boolean][]): void {
  for (const [query, event, expected] of rows) {
    it(`${query}  on ${JSON.stringify(event)} → ${expected ? 'kept' : 'dropped'}`, () => {
      assert.equal(keeps(query, event), expected);
    });
  }
}

function refused(query: string, event: SplEvent, message: string): void {
  assert.throws(
    () => keeps(query, event),
    (err: unknown) => isRulecastError(err) && err.code === 'spl-evaluate' && err.message.includes(message),
    `${query} should be refused with ${JSON.stringify(message)}`,
  );
}

describe('SPL oracle: field=value in a search', () => {
  const cmd = { Image: R`C:\Windows\System32\cmd.exe` };
  describe('case-insensitive whole-value match with * wildcards', () => {
    table([
      [R`Image="C:\\Windows\\System32\\cmd.exe"`, cmd, true],
      [R`Image="c:\\windows\\system32\\CMD.EXE"`, cmd, true],
      [R`Image="*\\cmd.exe"`, cmd, true],
      [R`Image="*\cmd.exe"`, cmd, true], // \c is not an escape: the same value
      [R`Image=*\\cmd.exe`, cmd, true],
      [R`Image="cmd.exe"`, cmd, false], // whole value, not a substring
      [R`Image="*cmd*"`, cmd, true],
      [R`Image="C:*cmd.exe"`, cmd, true],
      [R`Image="C:*powershell*"`, cmd, false],
      ['a=foo*', { a: 'foobar' }, true],
      ['a=foo*', { a: 'xfoo' }, false],
      ['a=*', { a: '' }, true],
      ['a="fo?"', { a: 'foo' }, false], // ? is a literal character
      ['a="fo?"', { a: 'fo?' }, true],
      [R`a="x\*"`, { a: 'x*' }, false], // \* is a backslash then a wildcard…
      [R`a="x\*"`, { a: R`x\anything` }, true],
      [R`a="x\\*"`, { a: R`x\anything` }, true], // … and so is \\*
      ['a="a b"', { a: 'A B' }, true],
      ['a=CASE(Foo)', { a: 'Foo' }, true],
      ['a=CASE(Foo)', { a: 'foo' }, false],
      ['a=CASE("F*")', { a: 'Foo' }, true],
      ['a=CASE("F*")', { a: 'foo' }, false],
      ['a=TERM(x.y)', { a: 'X.Y' }, true],
      ['"cs-uri-query"="*select*"', { 'cs-uri-query': '/?q=SELECT 1' }, true],
      ['Processes.process_name=cmd.exe', { 'Processes.process_name': 'cmd.exe' }, true],
      ['process.name=cmd.exe', { process: { name: 'cmd.exe' } }, true], // nested objects read as dotted names
      ['Image=cmd.exe', { image: 'cmd.exe' }, false], // field names are case-sensitive
    ]);
  });

  describe('missing fields: != and NOT differ', () => {
    table([
      ['a=1', {}, false],
      ['a!=1', {}, false], // "Events that do not have a value in the field are not included"
      ['NOT a=1', {}, true], // "This includes events that do not have a value in the field"
      ['NOT a!=1', {}, true],
      ['a!=1', { a: '2' }, true],
      ['a!=1', { a: '1' }, false],
      ['NOT a=1', { a: '1' }, false],
      ['a=*', {}, false],
      ['NOT a=*', {}, true],
      ['NOT a=*', { a: 'x' }, false],
      ['NOT a=*', { a: null }, true], // null is absence
      ['a!=*', { a: 'x' }, false], // never true
      ['a!=*', {}, false],
    ]);
  });

  describe('multi-value fields: any value', () => {
    const mv = { a: ['x', 'y'] };
    table([
      ['a=y', mv, true],
      ['a=z', mv, false],
      ['a!=y', mv, false],
      ['a!=z', mv, true],
      ['NOT a=y', mv, false],
      ['a IN (z, Y)', mv, true],
    ]);
  });

  describe('numbers', () => {
    table([
      ['n>5', { n: '10' }, true],
      ['n>5', { n: '3' }, false],
      ['n>5', { n: 'abc' }, false],
      ['n>5', {}, false],
      ['NOT n>5', {}, true],
      ['n>=5', { n: 5 }, true],
      ['n<=5', { n: '5.0' }, true],
      ['n<5.5', { n: '5.4' }, true],
      ['n>-1', { n: '0' }, true],
      ['EventID=4688', { EventID: 4688 }, true],
      ['EventID=4688', { EventID: '4688.0' }, true],
      ['EventID=4688', { EventID: '04688' }, true],
      ['EventID=4688', { EventID: '4689' }, false],
      ['n>5', { n: ['1', '9'] }, true],
    ]);
    it('refuses a non-numeric comparison rather than guess', () => refused('a<abc', { a: 'x' }, 'compares numbers only'));
  });

  describe('CIDR values match IPv4 and IPv6 networks', () => {
    table([
      ['ip=10.0.0.0/8', { ip: '10.1.2.3' }, true],
      ['ip="10.0.0.0/8"', { ip: '10.1.2.3' }, true],
      ['ip=10.0.0.0/8', { ip: '11.0.0.1' }, false],
      ['ip=10.0.0.0/8', { ip: 'not an ip' }, false],
      ['ip=10.0.0.0/8', { ip: 'fe80::1' }, false],
      ['ip=fe80::/10', { ip: 'fe80::1' }, true],
      ['ip=fe80::/10', { ip: 'FE80:0:0:0:0:0:0:2' }, true],
      ['ip=fe80::/10', { ip: '2001:db8::1' }, false],
      ['ip=192.168.1.0/24', { ip: ['8.8.8.8', '192.168.1.7'] }, true],
      ['NOT ip=10.0.0.0/8', {}, true],
      ['ip=10.1.2.3', { ip: '10.1.2.3' }, true],
    ]);
  });

  describe('IN is an OR of equalities', () => {
    table([
      ['a IN (x, "y*", 3)', { a: 'YES' }, true],
      ['a IN (x, "y*", 3)', { a: '3' }, true],
      ['a IN (x, "y*", 3)', { a: 'z' }, false],
      ['a IN (x)', {}, false],
      ['NOT a IN (x)', {}, true],
      ['ip IN (10.0.0.0/8, 192.168.0.0/16)', { ip: '192.168.3.4' }, true],
    ]);
  });
});

describe('SPL oracle: keywords', () => {
  it('_raw is the event\'s own _raw, else its fields as name=value pairs', () => {
    assert.equal(rawText({ _raw: 'the raw text', a: 'x' }), 'the raw text');
    assert.equal(rawText({ a: 1, b: ['x', 'y'], c: null, d: { e: true }, f: 'p q' }), 'a=1 b=x b=y d.e=true f=p q');
    assert.equal(rawText({}), '');
  });

  describe('a term without * matches whole terms of _raw (major and minor breakers)', () => {
    table([
      ['error', { _raw: 'an error: x' }, true],
      ['error', { _raw: 'an ERROR' }, true],
      ['error', { _raw: 'errors happen' }, false],
      ['error', { _raw: 'suberror' }, false],
      ['error', { _raw: 'x_error_y' }, true], // _ is a minor breaker
      ['error', { _raw: 'path/error.log' }, true],
      ['CASE(error)', { _raw: 'an ERROR' }, false],
      ['CASE(ERROR)', { _raw: 'an ERROR' }, true],
      ['"web error"', { _raw: 'a web error b' }, true],
      ['"web error"', { _raw: 'a webs error' }, false],
      ['"web error"', { _raw: 'web  error' }, false],
      ['web error', { _raw: 'error on the web' }, true], // two terms, in any order
      ['whoami', { CommandLine: 'whoami /all' }, true], // synthesized _raw
      ['who', { CommandLine: 'whoami /all' }, false],
      ['"-enc"', { _raw: 'powershell.exe -enc abc' }, true], // a term that starts with a breaker
      ['"-enc"', { _raw: 'powershell.exe -encodedcommand abc' }, false],
      ['127.0.0.1', { _raw: 'ip=127.0.0.1' }, true],
      ['TERM(127.0.0.1)', { _raw: 'src 127.0.0.1 dst' }, true],
      ['TERM(127.0.0.1)', { _raw: 'ip=127.0.0.1' }, false], // TERM needs major breakers around it
      ['a=1 and', { a: '1' }, false], // a lowercase `and` is a term to find…
      ['a=1 and', { a: '1', msg: 'this and that' }, true], // … and here it is
    ]);
  });

  describe('a term with * matches some field value as a whole, case-insensitively', () => {
    table([
      ['*mimikatz*', { CommandLine: 'x Mimikatz.exe y' }, true],
      ['"*mimikatz*"', { CommandLine: 'x Mimikatz.exe y' }, true],
      ['*mimikatz*', { mimikatz_flag: 'no' }, false], // field names are not values
      ['*mimikatz*', { _raw: 'xx mimikatz yy' }, true], // a real _raw is a value
      ['*mimi*katz*', { a: ['no', 'mimi-katz'] }, true],
      ['mimi*', { a: 'x mimikatz' }, false], // whole value
      ['CASE(*Mimi*)', { a: 'mimi' }, false],
      ['*', {}, true], // every event
      ['NOT *', { a: 'x' }, false],
    ]);
  });
});

describe('SPL oracle: precedence is part of the meaning', () => {
  table([
    // search: a AND (b OR c)
    ['a=1 b=2 OR c=3', { a: '1', c: '3' }, true],
    ['a=1 b=2 OR c=3', { c: '3' }, false],
    ['a=1 AND b=2 OR c=3', { c: '3' }, false],
    ['NOT a=1 OR b=2', { a: '1', b: '2' }, true],
    // where: (a AND b) OR c
    ['x=1 | where a=1 AND b=2 OR c=3', { x: '1', c: '3' }, true],
    ['x=1 | where a=1 AND b=2 OR c=3', { x: '1', a: '1' }, false],
    ['x=1 | where a=1 OR b=2 AND c=3', { x: '1', a: '1' }, true],
    ['x=1 | where a=1 XOR b=2', { x: '1', a: '1', b: '2' }, false],
    ['x=1 | where a=1 XOR b=2', { x: '1', a: '1', b: '3' }, true],
  ]);
});

describe('SPL oracle: | where', () => {
  describe('= is case-sensitive; a missing field makes a comparison null, and where drops null', () => {
    table([
      ['* | where a="Foo"', { a: 'Foo' }, true],
      ['* | where a="Foo"', { a: 'foo' }, false],
      ['* | where a=="Foo"', { a: 'Foo' }, true],
      ['* | where a="x"', {}, false],
      ['* | where a!="x"', {}, false],
      ['* | where a!="x"', { a: 'y' }, true],
      ['* | where NOT a="x"', {}, false], // NOT null is null
      ['* | where NOT a="x"', { a: 'y' }, true],
      ['* | where isnull(a) OR NOT a="x"', {}, true],
      ['* | where isnull(a) OR a="x"', {}, true],
      ['* | where NOT (a="x" AND b="y")', { a: 'z' }, true], // false AND null is false
      ['* | where NOT (a="x" AND b="y")', { a: 'x' }, false], // true AND null is null
      ['* | where a="x" OR b="y"', { a: 'x' }, true], // true OR null is true
      ['* | where a=b', { a: 'v', b: 'v' }, true], // a bare name is a field
      ['* | where a="b"', { a: 'v', b: 'v' }, false],
      ["* | where 'Processes.dest'=\"h\"", { 'Processes.dest': 'h' }, true],
      ['* | where a="y"', { a: ['x', 'y'] }, true],
      ['* | where a!="y"', { a: ['x', 'y'] }, false],
      ['* | where a IN ("x", "z")', { a: 'x' }, true],
      ['* | where a IN ("x", "z")', { a: 'X' }, false],
      ['* | where in(a, "x", "z")', { a: 'z' }, true],
    ]);
  });

  describe('numbers and texts', () => {
    table([
      ['* | where n>5', { n: '10' }, true],
      ['* | where n>5', { n: '3' }, false],
      ['* | where n=5', { n: '5.0' }, true],
      ['* | where n+1=6', { n: '5' }, true],
      ['* | where n*2-1=9 AND n/2=2.5 AND n%2=1', { n: '5' }, true],
      ['* | where a<"b"', { a: 'a' }, true],
      ['* | where a."x"="1x"', { a: '1' }, true],
      ['* | where -n<0', { n: '2' }, true],
      ['* | where len(a)=3', { a: 'abc' }, true],
      ['* | where len(a)>3', {}, false],
    ]);
  });

  describe('like(): % and _, whole value, case-sensitive', () => {
    table([
      ['* | where like(a, "%cmd%")', { a: 'x cmd y' }, true],
      ['* | where like(a, "%cmd%")', { a: 'x CMD y' }, false],
      ['* | where like(lower(a), "%cmd%")', { a: 'x CMD y' }, true],
      ['* | where like(a, "c_d")', { a: 'cmd' }, true],
      ['* | where like(a, "c_d")', { a: 'cmmd' }, false],
      ['* | where like(a, "cmd")', { a: 'cmd.exe' }, false],
      ['* | where a LIKE "%.exe"', { a: 'cmd.exe' }, true],
      ['* | where like(a, "a.c")', { a: 'abc' }, false], // . is literal
      ['* | where like(a, "%x%")', {}, false],
      ['* | where NOT like(a, "%x%")', {}, false],
      ['* | where like(_raw, "%whoami%")', { CommandLine: 'whoami /all' }, true],
      ['* | where like(a, "%[x]%")', { a: 'a[x]b' }, true],
    ]);
  });

  describe('match(): unanchored PCRE, case-sensitive unless (?i)', () => {
    table([
      [R`* | where match(a, "\d{3}")`, { a: 'abc1234' }, true],
      [R`* | where match(a, "^\d{3}$")`, { a: 'abc1234' }, false],
      ['* | where match(a, "cmd")', { a: 'CMD' }, false],
      ['* | where match(a, "(?i)cmd")', { a: 'CMD' }, true],
      ['* | where match(a, "x$")', { a: 'x\n' }, true], // PCRE's $ also matches before a final newline
      [R`* | where match(a, "x\z")`, { a: 'x\n' }, false],
      [R`* | where match(a, "\Ax")`, { a: 'x' }, true],
      ['* | where match(a, "(?s)a.b")', { a: 'a\nb' }, true],
      ['* | where match(a, "a.b")', { a: 'a\nb' }, false],
      ['* | where match(a, "foo(?!bar)")', { a: 'foobaz' }, true],
      ['* | where match(a, "(?P<w>o)(?P=w)")', { a: 'foo' }, true],
      [R`* | where match(a, "C:\\\\Windows")`, { a: R`C:\Windows` }, true], // \\\\ in SPL is \\ in the regex
      [R`* | where match(a, "a\|b")`, { a: 'b' }, true], // \| reaches PCRE as | (alternation)
      [R`* | where match(a, "a\\|b")`, { a: 'b' }, false], // \\| reaches PCRE as \| (a pipe)
      [R`* | where match(a, "a\\|b")`, { a: 'a|b' }, true],
      ['* | where match(a, "x")', { a: ['y', 'yx'] }, true],
      ['* | where NOT match(a, "x")', {}, false],
    ]);
    it('refuses PCRE features it cannot run faithfully', () => {
      refused('* | where match(a, "(?>a)")', { a: 'a' }, '(?>');
      refused('* | where match(a, "a(?i)b")', { a: 'ab' }, '(?i');
      refused('* | where match(a, "a++")', { a: 'a' }, 'possessive');
      refused('* | where match(a, "(?x) a")', { a: 'a' }, '(?x)');
      refused(R`* | where match(a, "\p{L}")`, { a: 'a' }, R`\p`);
    });
    it('translates PCRE to an equivalent JavaScript RegExp', () => {
      assert.equal(pcreToRegExp('(?i)(?s)a$').flags, 'is');
      assert.ok(pcreToRegExp('[$]').test('$'));
      assert.ok(pcreToRegExp('[]a]').test(']'));
      assert.ok(pcreToRegExp(R`\e`).test('\x1b'));
    });
  });

  describe('cidrmatch(), isnull(), isnotnull(), lower(), upper()', () => {
    table([
      ['* | where cidrmatch("10.0.0.0/8", ip)', { ip: '10.9.8.7' }, true],
      ['* | where cidrmatch("10.0.0.0/8", ip)', { ip: '11.9.8.7' }, false],
      ['* | where cidrmatch("10.0.0.0/8", ip)', { ip: 'x' }, false],
      ['* | where cidrmatch("2001:db8::/32", ip)', { ip: '2001:db8::5' }, true],
      ['* | where NOT cidrmatch("10.0.0.0/8", ip)', { ip: '11.9.8.7' }, true],
      ['* | where NOT cidrmatch("10.0.0.0/8", ip)', {}, false], // null: the missing address is dropped
      ['* | where isnull(a)', {}, true],
      ['* | where isnull(a)', { a: '' }, false],
      ['* | where isnotnull(a)', { a: 'x' }, true],
      ['* | where lower(a)="cmd.exe"', { a: 'CMD.EXE' }, true],
      ['* | where upper(a)="CMD.EXE"', { a: 'cmd.exe' }, true],
      ['* | where lower(a)="x"', { a: ['A', 'X'] }, true],
    ]);
    it('refuses a malformed network', () => refused('* | where cidrmatch("10.0.0.0", ip)', { ip: '10.0.0.0' }, 'not a CIDR network'));
  });

  describe('searchmatch(), multi-value and conditional functions', () => {
    table([
      ['* | where searchmatch("a=X* b")', { a: 'xy', _raw: 'a b c' }, true],
      ['* | where searchmatch("a=X* b")', { a: 'xy', _raw: 'a c' }, false],
      ['* | where mvcount(a)=2', { a: ['x', 'y'] }, true],
      ['* | where mvcount(a)=1', { a: 'x' }, true],
      ['* | where isnull(mvcount(a))', {}, true],
      ['* | where mvfind(a, "^y")=1', { a: ['x', 'y'] }, true],
      ['* | where isnull(mvfind(a, "z"))', { a: ['x', 'y'] }, true],
      ['* | where mvindex(a, -1)="y"', { a: ['x', 'y'] }, true],
      ['* | where coalesce(a, b, "d")="d"', {}, true],
      ['* | where coalesce(a, b)="v"', { b: 'v' }, true],
      ['* | where if(isnull(a), "none", a)="none"', {}, true],
      ['* | where if(a="x", true(), false())', { a: 'y' }, false],
      ['* | where case(a="x", "one", a="y", "two")="two"', { a: 'y' }, true],
      ['* | where isnull(case(a="x", "one"))', { a: 'y' }, true],
      ['* | where tonumber(a)>1', { a: '2' }, true],
      ['* | where isnum(a) AND isstr(b)', { a: '2', b: 'x' }, true],
    ]);
  });

  it('refuses what Splunk refuses or the oracle does not model', () => {
    refused('* | where a', { a: 'x' }, 'where needs a boolean');
    refused('* | where frobnicate(a)', { a: 'x' }, 'does not evaluate the function frobnicate()');
    refused('* | where lower(a, b)="x"', { a: 'x' }, 'lower() takes 1 argument(s), not 2');
    refused('* | eval b=a="x"', { a: 'x' }, 'fields cannot be assigned a boolean result');
    refused('* | where a AND true()', { a: 'x' }, 'expected a boolean');
  });

  it('eval values are the expected types', () => {
    assert.equal(evaluateSplEval(parseSplEval('a="x"'), {}), null);
    assert.equal(evaluateSplEval(parseSplEval('a'), { a: 5 }), '5');
    assert.deepEqual(evaluateSplEval(parseSplEval('a'), { a: [1, 2] }), ['1', '2']);
    assert.equal(evaluateSplEval(parseSplEval('1+2*3'), {}), 7);
    assert.equal(evaluateSplEval(parseSplEval('"a"."b"'), {}), 'ab');
    assert.equal(evaluateSplEval(parseSplEval('1/0'), {}), null);
  });
});

describe('SPL oracle: | regex', () => {
  table([
    [R`* | regex a="\d+"`, { a: 'abc123' }, true],
    [R`* | regex a="\d+"`, { a: 'abc' }, false],
    [R`* | regex a!="\d+"`, { a: 'abc' }, true],
    [R`* | regex a!="\d+"`, { a: 'a1' }, false],
    [R`* | regex a="\d+"`, {}, false], // missing: matches nothing, so = drops it…
    [R`* | regex a!="\d+"`, {}, true], // … and != keeps it
    ['* | regex a="CMD"', { a: 'cmd' }, false],
    ['* | regex a="(?i)CMD"', { a: 'cmd' }, true],
    ['* | regex "a=1 "', { a: 1, b: 2 }, true], // the default field is _raw
    ['* | regex _raw="^a=1"', { a: 1 }, true],
    ['* | regex a="y"', { a: ['x', 'y'] }, true],
    ['* | regex a!="y"', { a: ['x', 'y'] }, false],
  ]);
});

describe('SPL oracle: table, fields and eval transform, they do not filter', () => {
  table([
    ['a=1 | table a', { a: '1', b: '2' }, true],
    ['a=1 | table a | where isnull(b)', { a: '1', b: '2' }, true],
    ['a=1 | table a* | where isnotnull(ab)', { a: '1', ab: '2' }, true],
    ['a=1 | table a | where isnull(_raw)', { a: '1' }, true],
    ['a=1 | fields - b | where isnull(b) AND isnotnull(a)', { a: '1', b: '2' }, true],
    ['a=1 | fields a | where isnull(b) AND isnotnull(_raw)', { a: '1', b: '2' }, true],
    ['a=1 | fields - _* | where isnull(_raw)', { a: '1' }, true],
    ['* | eval x=lower(a) | where x="abc"', { a: 'ABC' }, true],
    ['* | eval x=null() | where isnull(x)', { x: 'v' }, true],
    ['* | eval x=a, y=x."!" | where y="v!"', { a: 'v' }, true],
    ['* | eval x=a | search x=V', { a: 'v' }, true],
  ]);
});

describe('SPL oracle: tstats filters with its where clause', () => {
  const q =
    '| tstats summariesonly=true count from datamodel=Endpoint.Processes where nodename=Processes Processes.process_name="cmd.exe" NOT Processes.user=SYSTEM by Processes.dest';
  table([
    [q, { 'Processes.process_name': 'CMD.EXE', 'Processes.user': 'bob' }, true],
    [q, { 'Processes.process_name': 'CMD.EXE', 'Processes.user': 'system' }, false],
    [q, { 'Processes.process_name': 'pwsh.exe' }, false],
    [q, { 'Processes.process_name': 'cmd.exe' }, true],
    ['| tstats count from datamodel=Endpoint.Processes by Processes.dest', { x: 1 }, true],
    ['| tstats count where a=1 | where b="x"', { a: '1', b: 'x' }, true],
  ]);
});

describe('SPL oracle agrees with the IR evaluator on hand translations', () => {
  const s = (field: string | null, value: string) => stringPred(field, parseSigmaString(value), false);
  // [IR (Sigma semantics), an exact SPL translation]
  const pairs: [Expr, string][] = [
    [and(s('Image', '*\\cmd.exe'), not(s('CommandLine', '*/c*'))), R`Image="*\\cmd.exe" NOT CommandLine="*/c*"`],
    [or(s('a', 'x'), and(s('b', 'y'), s('c', 'z'))), 'a=x OR (b=y c=z)'],
    [and(or(s('a', 'x'), s('b', 'y')), s('c', 'z')), 'a=x OR b=y c=z'],
    [not(pred({ op: 'exists', field: 'a' })), 'NOT a=*'],
    [pred({ op: 'cidr', field: 'ip', value: { network: '10.0.0.0/8', family: 4 } }), 'ip=10.0.0.0/8'],
    [not(pred({ op: 'cidr', field: 'ip', value: { network: '10.0.0.0/8', family: 4 } })), 'NOT ip=10.0.0.0/8'],
    [pred({ op: 'gt', field: 'n', value: 5 }), 'n>5'],
    [s(null, '*evil*'), '"*evil*"'],
    [and(s('a', 'x'), not(pred({ op: 're', field: 'b', value: { pattern: '\\d', flags: { m: false, s: false } }, cased: true }))), R`a=x | regex b!="\d"`],
    [pred({ op: 'contains', field: 'a', value: 'x', cased: true }), '* | where like(a, "%x%")'],
    [and(s('a', 'x'), not(s('b', 'y'))), '* | where lower(a)="x" AND (isnull(b) OR lower(b)!="y")'],
    [s('a', 'a*b'), 'a="a*b"'],
  ];
  const events: SplEvent[] = [
    {},
    { Image: R`C:\Windows\System32\CMD.exe`, CommandLine: 'cmd /c whoami' },
    { Image: R`C:\Windows\System32\cmd.exe`, CommandLine: 'cmd' },
    { Image: R`C:\Windows\System32\cmd.exe` },
    { a: 'x' },
    { a: 'X', b: 'Y' },
    { b: 'y', c: 'Z' },
    { a: 'x', c: 'z' },
    { a: 'A-x-B', b: '12' },
    { a: 'axb', b: 'y' },
    { a: ['q', 'x'] },
    { ip: '10.20.30.40' },
    { ip: '8.8.8.8' },
    { n: '7' },
    { n: 3 },
    { msg: 'an EVIL thing' },
    { a: 'x', b: 'none' },
  ];
  for (const [ir, spl] of pairs) {
    it(spl, () => {
      const query = parseSpl(spl);
      for (const e of events) {
        assert.equal(evaluateSpl(query, e), evaluate(ir, e), `event ${JSON.stringify(e)}`);
      }
    });
  }
});
