import { strict as assert } from 'node:assert';
import { decodeSplString, parseSpl, parseSplEval, parseSplSearch, searchPattern, SEARCH_STAR } from '../checkers/spl.js';
import { isRulecastError } from '../../src/diagnostics/diagnostic.js';
import { showEval, showQuery, showSearch } from '../support/spl-show.js';

/** Parses and expects a `spl-syntax` error at `offset` whose message contains `message`. */
function syntaxError(query: string): { offset: number; line: number; column: number; message: string } {
  try {
    parseSpl(query);
  } catch (err) {
    assert.ok(isRulecastError(err), `not a RulecastError: ${String(err)}`);
    assert.equal(err.code, 'spl-syntax');
    const s = err.diagnostic.span;
    assert.ok(s, 'the error has a span');
    assert.equal(s.source.text, query, 'the span points into the query text');
    const { line, column } = s.source.position(s.start);
    return { offset: s.start, line, column, message: err.message };
  }
  assert.fail(`expected a syntax error for ${JSON.stringify(query)}`);
}

describe('SPL grammar: queries that parse', () => {
  // [query, tree as S-expression (groups are transparent)]
  const cases: [string, string][] = [
    ['', '<empty>'],
    ['*', '*'],
    ['index=main', 'index=main'],
    ['a=1 b=2', '(AND a=1 b=2)'],
    ['a=1 AND b=2', '(AND a=1 b=2)'],
    ['a=1 OR b=2', '(OR a=1 b=2)'],
    ['NOT a=1', '(NOT a=1)'],
    ['NOT(a=1)', '(NOT a=1)'],
    ['a=1 AND NOT b=2', '(AND a=1 (NOT b=2))'],
    ['NOT a=1 AND NOT b=2 OR NOT c=3', '(AND (NOT a=1) (OR (NOT b=2) (NOT c=3)))'],
    ['"XOR"', '"XOR"'],
    ['a!=1 a<5 a<=5 a>5 a>=-5', '(AND a!=1 a<5 a<=5 a>5 a>=-5)'],
    ['a = 1', 'a=1'],
    ['Image="*\\\\cmd.exe"', 'Image="*\\\\cmd.exe"'],
    ['"cs-uri-query"="*x*"', '"cs-uri-query"="*x*"'],
    ['cs-uri-query=x', 'cs-uri-query=x'],
    ['Processes.process_name=cmd.exe', 'Processes.process_name=cmd.exe'],
    ['winlog.event_data.CommandLine="*a b*"', 'winlog.event_data.CommandLine="*a b*"'],
    ['EventID IN (1, 4688, "5*")', '(IN EventID 1 4688 "5*")'],
    ['EventID IN(1,2)', '(IN EventID 1 2)'],
    ['error', 'error'],
    ['"web error"', '"web error"'],
    ['*mimikatz*', '*mimikatz*'],
    ['and or not', '(AND and or not)'],
    ['ANDROID ORACLE NOTE', '(AND ANDROID ORACLE NOTE)'],
    ['"AND"', '"AND"'],
    ['CASE(Error)', 'CASE(Error)'],
    ['TERM(127.0.0.1)', 'TERM(127.0.0.1)'],
    ['host=CASE(LOCALHOST)', 'host=CASE(LOCALHOST)'],
    ['host=CASE("Local Host")', 'host=CASE("Local Host")'],
    ['src=10.0.0.0/8', 'src=10.0.0.0/8'],
    ['(a=1)', 'a=1'],
    ['(a=1) (b=2)', '(AND a=1 b=2)'],
    ['a=1 (b=2 OR c=3)', '(AND a=1 (OR b=2 c=3))'],
    ['  a=1  \n  b=2  ', '(AND a=1 b=2)'],
    ['a=C:\\Windows\\x', 'a=C:\\Windows\\x'],
    ['x | search y', 'x | search y'],
    ['| search y', 'search y'],
    ['x | where a=1', 'x | where (= a 1)'],
    ['x | where a==1', 'x | where (== a 1)'],
    ["x | where 'Processes.dest'=\"a\"", "x | where (= 'Processes.dest' \"a\")"],
    ["x | where '5minutes'=\"late\"", "x | where (= '5minutes' \"late\")"],
    ['x | where match(CommandLine, "(?i)\\\\d+")', 'x | where match(CommandLine, "(?i)\\\\d+")'],
    ['x | where like(a, "%b_")', 'x | where like(a, "%b_")'],
    ['x | where a LIKE "b%"', 'x | where (LIKE a "b%")'],
    ['x | where cidrmatch("10.0.0.0/8", src)', 'x | where cidrmatch("10.0.0.0/8", src)'],
    ['x | where isnull(a) OR isnotnull(b)', 'x | where (OR isnull(a) isnotnull(b))'],
    ['x | where lower(a)="b" AND len(a)>3', 'x | where (AND (= lower(a) "b") (> len(a) 3))'],
    ['x | where searchmatch("a=1 b")', 'x | where searchmatch("a=1 b")'],
    ['x | where mvcount(a)>1 AND isnotnull(mvfind(a, "x"))', 'x | where (AND (> mvcount(a) 1) isnotnull(mvfind(a, "x")))'],
    ['x | where if(a=1, true(), false())', 'x | where if((= a 1), true(), false())'],
    ['x | where coalesce(a, b, "c")="c"', 'x | where (= coalesce(a, b, "c") "c")'],
    ['x | where case(a=1, "one", true(), "other")="one"', 'x | where (= case((= a 1), "one", true(), "other") "one")'],
    ['x | where a IN ("b", "c")', 'x | where (IN a "b" "c")'],
    ['x | where NOT a=1', 'x | where (NOT (= a 1))'],
    ['x | where a=1 XOR b=2', 'x | where (XOR (= a 1) (= b 2))'],
    ['x | where -a+1*2-3/4%5 > 0', 'x | where (> (- (+ (- a) (* 1 2)) (% (/ 3 4) 5)) 0)'],
    ['x | where a."b"=c', 'x | where (= (. a "b") c)'],
    ['x | where a=1.5e3', 'x | where (= a 1.5e3)'],
    ['x | regex CommandLine="\\\\d+"', 'x | regex CommandLine="\\\\d+"'],
    ['x | regex CommandLine!="a\\|b"', 'x | regex CommandLine!="a\\|b"'],
    ['x | regex "raw"', 'x | regex "raw"'],
    ['x | regex _raw = "raw"', 'x | regex _raw="raw"'],
    ['x | table a, b c', 'x | table a,b,c'],
    ['x | table a* "Field Name"', 'x | table a*,Field Name'],
    ['x | fields a b', 'x | fields + a,b'],
    ['x | fields - _*', 'x | fields - _*'],
    ['x | fields + a, b', 'x | fields + a,b'],
    ['x | eval y=lower(x), z=1+2*3', 'x | eval y=lower(x), z=(+ 1 (* 2 3))'],
    ["x | eval 'a.b'=1", 'x | eval a.b=1'],
    [
      '| tstats count from datamodel=Endpoint.Processes where Processes.process_name="x.exe" by Processes.dest',
      'tstats count from Endpoint.Processes where Processes.process_name="x.exe" by Processes.dest',
    ],
    [
      '| tstats summariesonly=true allow_old_summaries=true fillnull_value="null" count min(_time) as firstTime max(_time) as lastTime from datamodel=Endpoint.Processes where Processes.process_name IN ("a.exe", "*b*") by Processes.dest Processes.user',
      'tstats summariesonly=true allow_old_summaries=true fillnull_value=null count,min(_time) as firstTime,max(_time) as lastTime from Endpoint.Processes where (IN Processes.process_name "a.exe" "*b*") by Processes.dest,Processes.user',
    ],
    [
      '| tstats count FROM datamodel=Endpoint.Processes WHERE nodename=Processes.Windows a=1 BY Processes.dest span=1h',
      'tstats count from Endpoint.Processes where (AND nodename=Processes.Windows a=1) by Processes.dest span=1h',
    ],
    ['| tstats count where index=main by host', 'tstats count where index=main by host'],
    ['| tstats count where by=1 by host', 'tstats count where by=1 by host'],
    ['| tstats count | where count>1', 'tstats count | where (> count 1)'],
  ];
  for (const [query, expected] of cases) {
    it(`${JSON.stringify(query)} → ${expected}`, () => {
      assert.equal(showQuery(parseSpl(query)), expected);
    });
  }

  it('keeps offsets of every node in the query text', () => {
    const q = parseSpl('a=1 b="x y" | where c="z"');
    const search = q.commands[0]!;
    assert.equal(search.type, 'search');
    if (search.type !== 'search' || !search.expr || search.expr.type !== 'and') return assert.fail();
    const [first, second] = search.expr.args;
    assert.deepEqual([first!.start, first!.end], [0, 3]);
    assert.deepEqual([second!.start, second!.end], [4, 11]);
    if (second!.type !== 'compare') return assert.fail();
    assert.equal(q.text.slice(second!.value.start, second!.value.end), '"x y"');
    const where = q.commands[1]!;
    assert.equal(q.text.slice(where.start, where.end), 'where c="z"');
  });
});

describe('SPL grammar: precedence', () => {
  // Search: ( ) > NOT > OR > AND (explicit or implied); eval: ( ) > NOT > AND > OR > XOR.
  const search: [string, string][] = [
    ['a=1 b=2 OR c=3', '(AND a=1 (OR b=2 c=3))'],
    ['a=1 AND b=2 OR c=3', '(AND a=1 (OR b=2 c=3))'],
    ['a=1 OR b=2 c=3', '(AND (OR a=1 b=2) c=3)'],
    ['a=1 OR b=2 AND c=3 OR d=4', '(AND (OR a=1 b=2) (OR c=3 d=4))'],
    ['NOT a=1 OR b=2', '(OR (NOT a=1) b=2)'],
    ['NOT a=1 b=2', '(AND (NOT a=1) b=2)'],
    ['NOT NOT a=1', '(NOT (NOT a=1))'],
    ['(a=1 b=2) OR c=3', '(OR (AND a=1 b=2) c=3)'],
    ['NOT (a=1 OR b=2) c=3', '(AND (NOT (OR a=1 b=2)) c=3)'],
    ['a OR b OR c d', '(AND (OR a b c) d)'],
    ['a and b OR c', '(AND a and (OR b c))'],
  ];
  for (const [text, expected] of search) {
    it(`search ${text} → ${expected}`, () => {
      assert.equal(showSearch(parseSplSearch(text)), expected);
    });
  }

  const evals: [string, string][] = [
    ['a=1 AND b=2 OR c=3', '(OR (AND (= a 1) (= b 2)) (= c 3))'],
    ['a=1 OR b=2 AND c=3', '(OR (= a 1) (AND (= b 2) (= c 3)))'],
    ['NOT a=1 AND b=2', '(AND (NOT (= a 1)) (= b 2))'],
    ['NOT a=1 OR b=2', '(OR (NOT (= a 1)) (= b 2))'],
    ['a=1 XOR b=2 OR c=3', '(XOR (= a 1) (OR (= b 2) (= c 3)))'],
    ['a=1 OR b=2 XOR c=3 AND d=4', '(XOR (OR (= a 1) (= b 2)) (AND (= c 3) (= d 4)))'],
    ['a=1 AND (b=2 OR c=3)', '(AND (= a 1) (OR (= b 2) (= c 3)))'],
    ['a+1*2=3', '(= (+ a (* 1 2)) 3)'],
    ['a . b . c', '(. (. a b) c)'],
  ];
  for (const [text, expected] of evals) {
    it(`where ${text} → ${expected}`, () => {
      assert.equal(showEval(parseSplEval(text)), expected);
    });
  }

  it('the same words group differently in search and in where', () => {
    const q = parseSpl('a=1 b=2 OR c=3 | where a=1 AND b=2 OR c=3');
    assert.equal(showQuery(q), '(AND a=1 (OR b=2 c=3)) | where (OR (AND (= a 1) (= b 2)) (= c 3))');
  });
});

describe('SPL grammar: queries that fail, with the place', () => {
  // [query, line:column of the error, part of the message]
  const cases: [string, string, string][] = [
    ['a="x', '1:3', "quoted string is never closed (no matching '\"')"],
    ['a="x\\"', '1:3', 'quoted string is never closed'],
    ['a=1\nb="x y', '2:3', 'quoted string is never closed'],
    ['(a=1 b=2', '1:1', "'(' is never closed"],
    ['a=1 (b=2 (c=3)', '1:5', "'(' is never closed"],
    ['a=1)', '1:4', "but found ')'"],
    ['()', '1:2', "but found ')'"],
    ['a=1 AND', '1:8', 'but found end of query'],
    ['a=1 OR', '1:7', 'but found end of query'],
    ['NOT', '1:4', 'but found end of query'],
    ['OR a=1', '1:1', "but found 'OR'"],
    ['a=', '1:3', 'expected CASE()/TERM(), quoted string or value but found end of query'],
    ['a=1 b=', '1:7', 'expected CASE()/TERM(), quoted string or value'],
    ['a==1', '1:3', "but found '='"],
    ['a="x"y', '1:6', "expected end of term but found 'y'"],
    ['a=(1)', '1:3', "but found '('"],
    ['a=[search b]', '1:3', "but found '['"],
    ['a=`macro`', '1:3', "but found '`'"],
    ['a=b,c', '1:4', "expected end of term but found ','"],
    ['a!b', '1:2', "expected end of term but found '!'"],
    ['a IN b', '1:6', "expected '(' but found 'b'"],
    ['a IN (1,2', '1:10', "expected ')' or ','"],
    ['a IN (1 2)', '1:9', "expected ')' or ','"],
    ['IN', '1:1', "but found 'IN'"],
    ['a XOR b', '1:3', "but found 'XOR'"],
    ['CASE(a b)', '1:8', "expected ')'"],
    ['a(b)', '1:2', "expected end of term but found '('"],
    ['(a) (b)(c)', '1:8', "expected end of term but found '('"],
    ['a=1(b=2)', '1:4', "expected end of term but found '('"],
    ['| where a=1', '1:3', "expected 'search' or 'tstats' but found 'where'"],
    ['x | stats count', '1:5', "expected 'eval', 'fields', 'regex', 'search', 'table' or 'where' but found 'stats'"],
    ['x | WHERE a=1', '1:5', "but found 'WHERE'"],
    ['x | tstats count', '1:5', "but found 'tstats'"],
    ['x |', '1:4', 'but found end of query'],
    ['x | search', '1:11', 'but found end of query'],
    ['x | where a=1 and b=2', '1:15', "expected '%', '*', '/', '+', '-', '.', 'AND', 'OR', 'XOR', '|' or end of query but found 'and'"],
    ['x | where a=1 AND', '1:18', 'but found end of query'],
    ['x | where (a=1', '1:11', "'(' is never closed"],
    ["x | where 'abc=1", '1:11', 'single-quoted field name is never closed'],
    ['x | where Processes.dest="a"', '1:11', "field name 'Processes.dest' must be single-quoted in an eval expression"],
    ['x | where a<b<c', '1:14', "but found '<'"],
    ['x | where 5minutes=1', '1:11', "expected '(', '-', 'NOT', field name, function name, number or quoted string but found '5minutes'"],
    ['x | where a=', '1:13', 'but found end of query'],
    ['x | regex a="b', '1:13', 'quoted string is never closed'],
    ['x | regex a=b', '1:13', "expected quoted string but found 'b'"],
    ['x | regex NOT a="b"', '1:15', "but found 'a'"],
    ['x | table', '1:10', 'expected field name'],
    ['x | eval y', '1:11', "expected '='"],
    ['x | eval y==1', '1:11', "'==' compares; an eval assignment is field=expression"],
    ['| tstats', '1:9', 'expected function name'],
    ['| tstats frobnicate=1 count', '1:10', "unknown tstats option 'frobnicate'"],
    ['| tstats count from datamodel=', '1:31', 'expected data model name'],
    ['| tstats count where a=1 by', '1:28', 'expected field name'],
    ['| tstats count where', '1:21', 'but found end of query'],
  ];
  for (const [query, where, message] of cases) {
    it(`${JSON.stringify(query)} fails at ${where}`, () => {
      const e = syntaxError(query);
      assert.equal(`${e.line}:${e.column}`, where, e.message);
      assert.ok(e.message.includes(message), `message ${JSON.stringify(e.message)} lacks ${JSON.stringify(message)}`);
    });
  }

  it('a lowercase "and" is a search term, not an operator', () => {
    assert.equal(showSearch(parseSplSearch('a=1 and b=2')), '(AND a=1 and b=2)');
    assert.equal(showSearch(parseSplSearch('a=1 or b=2')), '(AND a=1 or b=2)');
    assert.equal(showSearch(parseSplSearch('not a=1')), '(AND not a=1)');
  });

  it('errors are reported with the path given', () => {
    try {
      parseSpl('a="x', 'rules/x.spl');
      assert.fail('no error');
    } catch (err) {
      assert.ok(isRulecastError(err));
      assert.equal(err.diagnostic.span?.source.path, 'rules/x.spl');
    }
  });
});

describe('SPL strings: what a rendered literal means', () => {
  // [literal as written in the query, the string the command receives]
  const cases: [string, string][] = [
    ['"plain"', 'plain'],
    ['""', ''],
    ['"a b"', 'a b'],
    ['"C:\\\\Windows\\\\System32"', 'C:\\Windows\\System32'], // \\ is one backslash
    ['"C:\\Windows"', 'C:\\Windows'], // \W is not a known sequence: kept as written
    ['"say \\"hi\\""', 'say "hi"'], // \" is a quote
    ['"a\\|b"', 'a|b'], // \| is a pipe
    ['"a|b"', 'a|b'], // a pipe inside quotes does not split commands
    ['"\\s+\\d"', '\\s+\\d'], // regex sequences survive
    ['"\\\\s"', '\\s'], // … and \\s reaches the command as \s too
    ['"\\\\\\\\server"', '\\\\server'], // four backslashes are two
    ['"\\*"', '\\*'], // \* is NOT an escaped star: a backslash, then a wildcard
    ['"\\\\*"', '\\*'],
    ['"tab\\tnewline\\n"', 'tab\\tnewline\\n'], // no C escapes
    ["\"it's\"", "it's"],
    ['"100%"', '100%'],
  ];
  for (const [literal, value] of cases) {
    it(`${literal} means ${JSON.stringify(value)}`, () => {
      assert.equal(decodeSplString(literal), value);
      // The same literal used as a search value decodes the same way.
      const q = parseSplSearch(`f=${literal}`);
      if (q.type !== 'compare') return assert.fail();
      assert.equal(q.value.value, value);
      assert.equal(q.value.raw, literal);
    });
  }

  it('unquoted tokens decode the same three sequences', () => {
    const q = parseSplSearch('f=C:\\\\Windows\\\\x g=C:\\Windows h=a\\|b');
    if (q.type !== 'and') return assert.fail();
    assert.deepEqual(
      q.args.map((a) => (a.type === 'compare' ? a.value.value : '')),
      ['C:\\Windows\\x', 'C:\\Windows', 'a|b'],
    );
  });

  it('a single-quoted eval field name decodes \\\' and \\\\', () => {
    const e = parseSplEval("'it\\'s'=1");
    if (e.type !== 'compare' || e.left.type !== 'field') return assert.fail();
    assert.equal(e.left.field.name, "it's");
  });

  it('decodeSplString refuses anything but one whole literal', () => {
    for (const bad of ['plain', '"a" "b"', '"open']) {
      assert.throws(() => decodeSplString(bad), (err: unknown) => isRulecastError(err) && err.code === 'spl-syntax', bad);
    }
  });

  it('searchPattern splits on * (the only search wildcard) and keeps ? literal', () => {
    assert.deepEqual(searchPattern('*\\cmd.exe'), [SEARCH_STAR, '\\cmd.exe']);
    assert.deepEqual(searchPattern('a**b?'), ['a', SEARCH_STAR, 'b?']);
    assert.deepEqual(searchPattern('plain'), ['plain']);
    assert.deepEqual(searchPattern('*'), [SEARCH_STAR]);
    assert.deepEqual(searchPattern(''), []);
  });
});
