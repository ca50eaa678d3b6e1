import { strict as assert } from 'node:assert';
import { diagnosticLocation, isRulecastError, RulecastError } from '../../src/diagnostics/diagnostic.js';
import { checkEql, decodeEqlString, EQL_KEYWORDS, isPlainEqlIdentifier, parseEql, verifyEql } from '../checkers/eql.js';
import { showEqlQuery } from '../support/eql-print.js';

/** The RulecastError thrown by f (fails the test when f does not throw one). */
function thrown(f: () => unknown): RulecastError {
  try {
    f();
  } catch (err) {
    if (isRulecastError(err)) return err;
    throw err;
  }
  assert.fail('expected a RulecastError');
}

describe('EQL grammar: valid queries', () => {
  // [query, tree as printed by showEqlQuery]
  const valid: [string, string][] = [
    // categories
    ['process where process.name == "svchost.exe"', 'process: (== process.name "svchost.exe")'],
    ['any where true', 'any: true'],
    ['"my-category" where true', '"my-category": true'],
    ['"""6 category""" where true', '"6 category": true'],
    ['_private where false', '_private: false'],
    ['anything where true', 'anything: true'], // `any` only as a whole word
    ['process where Process == 1', 'process: (== Process 1)'], // identifiers are case-sensitive, `Process` is not a keyword
    // precedence: or < and < not < comparison < predicate
    ['any where a == 1 or b == 2 and c == 3', 'any: (or (== a 1) (and (== b 2) (== c 3)))'],
    ['any where (a == 1 or b == 2) and c == 3', 'any: (and {(or (== a 1) (== b 2))} (== c 3))'],
    ['any where not a == 1 and b == 2', 'any: (and (not (== a 1)) (== b 2))'],
    ['any where not not a', 'any: (not (not a))'],
    ['any where not (a : "x" or b : "y")', 'any: (not {(or (: a "x") (: b "y"))})'],
    ['any where a and b and c or d', 'any: (or (and a b c) d)'],
    ['any where x : "a" == true', 'any: (== (: x "a") true)'], // the predicate binds first
    ['any where not(x)and(y)or(z)', 'any: (or (and (not {x}) {y}) {z})'], // keywords need no spaces before '('
    // comparison operators
    ['any where a != "x" and b < 1 and c <= 2.5 and d > -3 and e >= 1e3', 'any: (and (!= a "x") (< b 1) (<= c 2.5) (> d -3) (>= e 1000))'],
    ['any where x == - 1', 'any: (== x -1)'],
    ['any where x == +7', 'any: (== x 7)'],
    ['any where x == .5 or x == 5. or x == 1.5E-2', 'any: (or (== x 0.5) (== x 5) (== x 0.015))'],
    ['any where x == null', 'any: (== x null)'],
    // pattern operators with one constant or a list
    ['any where x : "a*"', 'any: (: x "a*")'],
    ['any where x:("a", "b?")', 'any: (: x ["a" "b?"])'],
    ['any where x like "A*" and y like~ ("a", "b")', 'any: (and (like x "A*") (like~ y ["a" "b"]))'],
    ['any where x regex "a.c" or y regex~ ("[0-9]+", """\\d+""")', 'any: (or (regex x "a.c") (regex~ y ["[0-9]+" raw"\\\\d+"]))'],
    ['any where x like~ ("1234", 5678)', 'any: (like~ x ["1234" 5678])'], // numbers are constants too (the verifier objects)
    // membership
    ['any where x in ("a", 1, null)', 'any: (in x ["a" 1 null])'],
    ['any where x in~ ("a") and y not in (1, -2) and z not in~ ("b")', 'any: (and (in~ x ["a"]) (not in y [1 -2]) (not in~ z ["b"]))'],
    ['any where x in("a")', 'any: (in x ["a"])'],
    // functions
    ['any where cidrMatch(source.ip, "10.0.0.0/8", "fe80::/10")', 'any: (cidrMatch source.ip "10.0.0.0/8" "fe80::/10")'],
    ['any where startsWith~(process.name, "cmd") and stringContains~ (x, "a")', 'any: (and (startsWith~ process.name "cmd") (stringContains~ x "a"))'],
    ['any where length(x) > 3 and f()', 'any: (and (> (length x) 3) (f))'],
    ['any where endsWith(string(x), ".exe") == false', 'any: (== (endsWith (string x) ".exe") false)'],
    // field names
    ['any where @timestamp != null', 'any: (!= @timestamp null)'],
    ['any where `my-field` : "a" and `my field` : "b" and `6field` : "c"', 'any: (and (: `my-field` "a") (: `my field` "b") (: `6field` "c"))'],
    ['any where `a``b` == 1', 'any: (== `a`b` 1)'],
    ['any where winlog.event_data.`cs-uri-query` : "a"', 'any: (: winlog.event_data.`cs-uri-query` "a")'],
    ['any where ?user.id != null and ? `x-y` == 1', 'any: (and (!= ?user.id null) (== ?`x-y` 1))'],
    ['any where process . name == "a"', 'any: (== process.name "a")'], // whitespace around dots is skipped, as by ANTLR
    ['any where event.`sequence` == 1', 'any: (== event.`sequence` 1)'],
    ['any where android == 1 and notes == 2 and order == 3 and inx == 4', 'any: (and (== android 1) (== notes 2) (== order 3) (== inx 4))'],
    // comments and line breaks
    ['any where /* a /* nested */ comment */ x == 1 // trailing\n  and y == 2', 'any: (and (== x 1) (== y 2))'],
    // pipes
    ['process where true | head 5', 'process: true | head 5'],
    ['process where true | tail 10 | head 0', 'process: true | tail 10 | head 0'],
  ];
  for (const [query, expected] of valid) {
    it(query.replace(/\n/g, '\\n'), () => {
      assert.equal(showEqlQuery(parseEql(query)), expected);
    });
  }

  it('records offsets of every node in the query text', () => {
    const text = 'any where x : ("a", "b") and not y';
    const q = parseEql(text);
    assert.equal(q.condition.type, 'and');
    if (q.condition.type !== 'and') return;
    const [match, not] = q.condition.args;
    assert.equal(text.slice(match!.start, match!.end), 'x : ("a", "b")');
    assert.equal(text.slice(not!.start, not!.end), 'not y');
    assert.equal(text.slice(q.category.start, q.category.end), 'any');
    assert.equal(q.source.text, text);
  });

  it('keeps the written form of fields and literals', () => {
    const q = parseEql('any where ?`a.b`.c == -2.50');
    assert.equal(q.condition.type, 'compare');
    if (q.condition.type !== 'compare') return;
    const { left, right } = q.condition;
    assert.deepEqual(left.type === 'field' && [left.path, left.segments, left.quoted, left.optional], ['a.b.c', ['a.b', 'c'], [true, false], true]);
    assert.deepEqual(right.type === 'number' && [right.value, right.integer, right.raw], [-2.5, false, '-2.50']);
  });
});

describe('EQL grammar: rejected queries point at the problem', () => {
  // [query, offset of the error, part of the message]
  const invalid: [string, number, string][] = [
    // strings
    ['any where x : "\\*"', 15, "'\\*' is not an escape sequence"],
    ['any where x : "C:\\Windows"', 17, "'\\W' is not an escape sequence"],
    ['any where x == \'single\'', 15, 'single-quoted strings are not supported'],
    ['any where x == ?"raw"', 15, 'write a raw string as """..."""'],
    ["any where x == ?'raw'", 15, 'write a raw string as """..."""'],
    ['any where x : "abc', 14, 'unterminated string'],
    ['any where x : "a\nb"', 14, 'unterminated string'],
    ['any where x : """abc', 14, 'unterminated raw string'],
    ['any where x : "\\u{1}"', 15, 'must have 2 to 8 hex digits'],
    ['any where x : "\\u{123456789}"', 15, 'must have 2 to 8 hex digits'],
    ['any where x : "\\u{D83D}"', 15, 'surrogate'],
    ['any where x : "\\u{110000}"', 15, 'not a Unicode character'],
    ['any where x : "\\u0041"', 15, 'a Unicode escape is written \\u{XXXX}'],
    // parentheses
    ['any where (x == 1', 17, "expected ')'"],
    ['any where x == 1)', 16, 'expected'],
    ['any where x in ()', 16, 'but found \')\''],
    ['any where x : ()', 15, 'constant'],
    // operators
    ['any where x = 1', 12, "'=' is not an EQL operator"],
    ['any where a < b < c', 16, 'comparisons cannot be chained'],
    ['any where x : -1', 14, 'constant'],
    ['any where x == 1 AND y == 2', 17, "write 'and', not 'AND'"],
    ['any where x == 1 Or y == 2', 17, "write 'or', not 'Or'"],
    ['process WHERE true', 8, "write 'where', not 'WHERE'"],
    ['any where x !: "a"', 12, 'expected'],
    // conditions
    ['any where "foo"', 10, 'a string is not a condition'],
    ['any where "mimikatz" or "sekurlsa::"', 10, 'a string is not a condition'],
    ['any where x == 1 and ("foo")', 22, 'a string is not a condition'],
    ['any where not 42', 14, 'a number is not a condition'],
    ['any where', 9, 'expected'],
    // names
    ['any where cs-uri-query : "a"', 10, 'backquote a field name that contains \'-\': `cs-uri-query`'],
    ['any where winlog.event_data.cs-uri-query : "a"', 10, '`winlog.event_data.cs-uri-query`'],
    ['any where x - 1 == 2', 12, "arithmetic ('-') is valid EQL but not supported"],
    ['any where x * 2 == 4', 12, "arithmetic ('*')"],
    ['any where x == -y', 15, "'-' before a value other than a number literal"],
    ['any where event.sequence == 1', 16, "'sequence' is a reserved word"],
    ['any where by == 1', 10, "'by' is a reserved word in EQL; backquote it in a field name: `by`"],
    ['any where x == not y', 15, "'not' is a reserved word"],
    ['any where x[0] == 1', 11, 'array indexes are not supported'],
    ['any where `x == 1', 10, 'unterminated backquoted name'],
    ['any where 6field == 1', 11, 'expected'],
    // categories and query kinds
    ['`process` where true', 0, 'write it as a string: "process"'],
    ['my-category where true', 0, 'write an event category that contains \'-\' as a string: "my-category"'],
    ['sequence [process where true] [file where true]', 0, "'sequence' queries"],
    ['where x == 1', 0, 'expected'],
    ['process x == 1', 8, "expected 'where'"],
    // pipes
    ['any where true | count', 15, "pipe 'count' is not supported"],
    ['any where true | head', 15, "pipe 'head' takes one integer argument"],
    ['any where true | head -1', 15, "pipe 'head' takes one integer argument"],
    ['any where true | head 1, 2', 15, "pipe 'head' takes one integer argument"],
  ];
  for (const [query, offset, message] of invalid) {
    it(`${query.replace(/\n/g, '\\n')}  →  ${message}`, () => {
      const err = thrown(() => parseEql(query));
      assert.equal(err.code, 'eql-syntax');
      assert.ok(err.message.includes(message), `message: ${err.message}`);
      assert.ok(err.message.startsWith('invalid EQL query: '), err.message);
      assert.equal(err.diagnostic.span?.start, offset, `span of: ${err.message}`);
    });
  }

  it('reports line and column in a multi-line query', () => {
    const err = thrown(() => parseEql('process where\n  x : "a" and\n  y : \'b\'', 'rule.eql'));
    assert.deepEqual(diagnosticLocation(err.diagnostic), { path: 'rule.eql', line: 3, column: 7 });
  });

  it('names what was expected and what was found', () => {
    const err = thrown(() => parseEql('any where x : "a" y'));
    assert.match(err.message, /^invalid EQL query: expected .*'and'.*'or'.* but found 'y'$/);
    assert.ok(!/\bclass\b/.test(err.message), err.message);
  });

  it('treats keywords as case-sensitive, as the Elasticsearch lexer does', () => {
    // `AND` is an identifier for Elasticsearch, so it cannot follow a value.
    assert.ok(thrown(() => parseEql('any where a AND b')).message.includes("write 'and'"));
    // `TRUE` is a field name, not the boolean.
    assert.equal(showEqlQuery(parseEql('any where TRUE')), 'any: TRUE');
  });
});

describe('EQL grammar on queries pySigma emits (shared/research/sigma-landscape.md, 2.3)', () => {
  const accepted = [
    'any where fieldA:"valueA" and fieldB==""',
    'any where (OriginalFileName:"Cmd.exe" or Image:"*\\\\cmd.exe") and (CommandLine like~ ("*<*", "*>*"))',
    'any where FieldA:"*valueA" and ?FieldB != null and (not FieldB=="")',
    'any where process.executable like~ ("*valueA\\\\*", "*valueB*")',
    'any where fieldname like~ ("-param-name", "/param-name", "–param-name", "—param-name", "―param-name")',
    'any where `field name`:"value"',
    'any where cidrMatch(destination.ip, "fe80::/10")',
  ];
  for (const query of accepted) {
    it(`accepts ${query}`, () => {
      assert.equal(parseEql(query).type, 'query');
    });
  }

  // The defects the research observed, each caught with its position.
  const rejected: [string, number, string][] = [
    ['any where CommandLine regex~ "(?i)foo\\d+"bar"', 37, "'\\d' is not an escape sequence"],
    ['any where CommandLine:"*/tn \\**"', 28, "'\\*' is not an escape sequence"],
    ['any where "mimikatz" or "sekurlsa::"', 10, 'a string is not a condition'],
    ['any where winlog.event_data.cs-uri-query:"a"', 10, 'backquote a field name'],
  ];
  for (const [query, offset, message] of rejected) {
    it(`rejects ${query}`, () => {
      const err = thrown(() => parseEql(query));
      assert.ok(err.message.includes(message), err.message);
      assert.equal(err.diagnostic.span?.start, offset);
    });
  }
});

describe('EQL strings decode as Elasticsearch decodes them', () => {
  // [literal as written in a query, decoded value]
  const vectors: [string, string][] = [
    ['"plain"', 'plain'],
    ['""', ''],
    ['"C:\\\\Windows\\\\System32"', 'C:\\Windows\\System32'],
    ['"say \\"hi\\""', 'say "hi"'],
    ["\"it\\'s\"", "it's"],
    ["\"it's\"", "it's"],
    ['"\\n\\r\\t\\b\\f"', '\n\r\t\b\f'],
    ['"\\u{41}\\u{00e9}\\u{1F4A9}\\u{0000200f}"', 'Aé💩\u200f'],
    ['"*?"', '*?'], // wildcards are ordinary characters in a string
    ['"""C:\\Windows\\*"""', 'C:\\Windows\\*'],
    ['"""a"b"""', 'a"b'],
    ['"""a""""', 'a"'], // up to two quotes after the closing """ belong to the value
    ['"""a"""""', 'a""'],
    ['""""""', ''],
    ['""""""""', '""'],
    ['"""""hello""world!""""', '""hello""world!"'], // from Elasticsearch's ExpressionTests
  ];
  for (const [literal, value] of vectors) {
    it(`${literal} → ${JSON.stringify(value)}`, () => {
      assert.equal(decodeEqlString(literal), value);
    });
  }

  const refused: [string, string][] = [
    ['"\\*"', "'\\*' is not an escape sequence"],
    ['"\\d"', "'\\d' is not an escape sequence"],
    ['"\\x41"', "'\\x' is not an escape sequence"],
    ["'a'", 'single-quoted'],
    ['"a', 'unterminated string'],
    ['"a\\"', 'unterminated string'],
    ['"""a\n"""', 'unterminated raw string'],
    ['"a" "b"', 'expected end of input'],
  ];
  for (const [literal, message] of refused) {
    it(`refuses ${JSON.stringify(literal)}`, () => {
      const err = thrown(() => decodeEqlString(literal));
      assert.equal(err.code, 'eql-syntax');
      assert.ok(err.message.includes(message), err.message);
    });
  }

  it('a literal rendered with the documented escapes means the original string', () => {
    // The escaping a backend must do: backslash and double quote, and the control characters
    // that cannot appear raw (a line break ends a string).
    const render = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
    for (const s of ['', 'a', 'C:\\Windows\\', '"quoted"', 'a\\*b', 'tab\there', 'two\nlines\r\n', 'é💩', '\\\\server\\share', '""""']) {
      assert.equal(decodeEqlString(render(s)), s, render(s));
      assert.equal(showEqlQuery(parseEql(`any where x == ${render(s)}`)), `any: (== x ${JSON.stringify(s)})`);
    }
  });
});

describe('EQL names', () => {
  it('lists the reserved words of the Elasticsearch lexer', () => {
    for (const word of ['and', 'or', 'not', 'in', 'like', 'regex', 'where', 'any', 'sequence', 'by', 'until', 'with', 'true', 'false', 'null']) {
      assert.ok(EQL_KEYWORDS.includes(word), word);
    }
  });

  const names: [string, boolean][] = [
    ['process', true],
    ['_x1', true],
    ['@timestamp', true],
    ['cs-uri-query', false],
    ['6field', false],
    ['my field', false],
    ['sequence', false],
    ['Sequence', true],
    ['a.b', false], // a single segment with a dot needs backquotes
    ['', false],
  ];
  for (const [name, plain] of names) {
    it(`${JSON.stringify(name)} ${plain ? 'needs no' : 'needs'} backquotes`, () => {
      assert.equal(isPlainEqlIdentifier(name), plain);
      if (name !== '') {
        const written = plain ? name : `\`${name.replace(/`/g, '``')}\``;
        const q = parseEql(`any where ${written} == 1`);
        assert.ok(q.condition.type === 'compare' && q.condition.left.type === 'field' && q.condition.left.segments[0] === name);
      }
    });
  }
});

describe('EQL verifier checks', () => {
  const problems = (query: string) => verifyEql(parseEql(query)).map((d) => d.message);

  it('accepts the functions and operators of Elasticsearch 8', () => {
    assert.deepEqual(problems('any where startsWith~(x, "a") and CIDRMATCH(ip, "10.0.0.0/8") and x : ("a", "b") and length(y) > 2'), []);
  });

  it('flags unknown and removed functions', () => {
    assert.deepEqual(problems('any where wildcard(x, "a*") or foo(x)'), [
      "'wildcard' was removed from Elasticsearch EQL (7.x only); use 'like' or 'like~'",
      "unknown EQL function 'foo'",
    ]);
  });

  it('flags ~ on a function without a case-insensitive form', () => {
    assert.deepEqual(problems('any where cidrMatch~(ip, "10.0.0.0/8")'), ["'cidrMatch' has no case-insensitive form 'cidrMatch~'"]);
  });

  it('flags non-string patterns and field-to-field comparisons', () => {
    assert.deepEqual(problems('any where x like~ (1234, "a") and a == b and length(a) == length(b)'), [
      "'like~' can only compare strings; the pattern is a number",
      'Elasticsearch EQL cannot compare a field with another field',
      'Elasticsearch EQL cannot compare a field with another field',
    ]);
  });

  it('checkEql throws the first problem with its span', () => {
    const err = thrown(() => checkEql('any where x : true'));
    assert.equal(err.code, 'eql-invalid');
    assert.equal(err.diagnostic.span?.start, 14);
  });
});
