// EQL backend: golden outputs for every golden case (-p none → out.eql, the default pipeline →
// out.ecs-windows.eql, or the formatted error when the backend must refuse), each checked by the
// EQL grammar; and table tests of the pieces (strings, field names, regex translation, guards,
// pipeline transforms, output formats).
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { compileSigma, formatDiagnostic } from '../../src/index.js';
import { isRulecastError } from '../../src/diagnostics/diagnostic.js';
import { getTarget } from '../../src/app/targets.js';
import { eqlField, eqlString } from '../../src/backends/eql/strings.js';
import { sigmaRegexToLucene } from '../../src/backends/eql/regex.js';
import { renderEqlExpression } from '../support/render.js';
import { checkEql, decodeEqlString } from '../checkers/eql.js';
import { luceneRegexToRe2 } from '../support/lucene-regex.js';
import { RE2JS } from 're2js';
import { expectFile, goldenCases } from '../support/golden.js';
import { testData, updateGolden } from '../support/paths.js';
import { compileOne, ruleWith } from '../support/rules.js';

const eql = getTarget('eql')!;

/** The output of a conversion, or the full formatted error. */
function convert(text: string, path: string, pipelines: string[], format = 'default'): { query?: string; error?: string } {
  const [doc] = compileSigma(text, path);
  assert.ok(doc?.query, 'the golden rule must compile');
  try {
    return { query: eql.convert(doc.query, { pipelines, format }) };
  } catch (err) {
    if (!isRulecastError(err)) throw err;
    return { error: `${formatDiagnostic(err.diagnostic)}\n` };
  }
}

function expectOutcome(dir: string, okFile: string, errorFile: string, outcome: { query?: string; error?: string }): void {
  const ok = join(dir, okFile);
  const bad = join(dir, errorFile);
  if (updateGolden) {
    // Only one of the two may exist: remove the stale one.
    if (outcome.query !== undefined && existsSync(bad)) unlinkSync(bad);
    if (outcome.error !== undefined && existsSync(ok)) unlinkSync(ok);
  }
  if (outcome.query !== undefined) {
    assert.ok(!existsSync(bad), `${errorFile} exists but the conversion succeeded`);
    expectFile(ok, outcome.query);
  } else {
    assert.ok(!existsSync(ok), `${okFile} exists but the conversion failed:\n${outcome.error}`);
    expectFile(bad, outcome.error!);
  }
}

/** The query of a default-format output (the template may put a comment line before it). */
function queryLine(output: string): string {
  return output
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('//'))
    .join('\n');
}

describe('EQL golden outputs', () => {
  for (const name of goldenCases()) {
    it(name, () => {
      const dir = testData('golden', name);
      const text = readFileSync(join(dir, 'rule.yml'), 'utf8');
      const path = `test/golden/${name}/rule.yml`;
      const bare = convert(text, path, ['none']);
      expectOutcome(dir, 'out.eql', 'eql.error.txt', bare);
      const mapped = convert(text, path, ['ecs-windows']);
      expectOutcome(dir, 'out.ecs-windows.eql', 'ecs-windows.error.txt', mapped);
      for (const q of [bare.query, mapped.query]) if (q !== undefined) checkEql(queryLine(q));
    });
  }

  for (const name of ['basic-selection', 'eql-lookback', 'eql-categories-union', 'attack-v19']) {
    it(`${name} as an Elastic rule (NDJSON)`, () => {
      const dir = testData('golden', name);
      const out = convert(readFileSync(join(dir, 'rule.yml'), 'utf8'), `test/golden/${name}/rule.yml`, ['ecs-windows'], 'elastic-rule');
      assert.ok(out.query !== undefined, out.error);
      assert.equal(out.query.trim().split('\n').length, 1, 'one NDJSON line');
      const rule = JSON.parse(out.query) as Record<string, unknown>;
      assert.equal(rule.type, 'eql');
      assert.equal(rule.language, 'eql');
      checkEql(rule.query as string);
      expectFile(join(dir, 'elastic-rule.ecs-windows.ndjson'), out.query);
    });
  }
});

describe('EQL strings and field names', () => {
  const vectors = ['', 'plain', 'C:\\Windows\\', 'say "hi"', 'a\\"b', 'tab\there', 'new\nline', 'cr\rx', '\u0000\u0001\u007f\u2028', '"""', '\\', 'ü☃𝄞', "it's"];
  for (const v of vectors) {
    it(`round-trips ${JSON.stringify(v)}`, () => {
      assert.equal(decodeEqlString(eqlString(v)), v);
    });
  }

  it('refuses a lone surrogate, which Elasticsearch cannot decode', () => {
    assert.throws(() => eqlString('a\ud800b'), /lone UTF-16 surrogate/);
  });

  it('writes a raw string for a value with backslashes and nothing a raw string cannot hold', () => {
    assert.equal(eqlString('C:\\Windows\\*'), '"""C:\\Windows\\*"""');
    assert.equal(eqlString('C:\\say "x"'), '"C:\\\\say \\"x\\""');
    assert.equal(eqlString('a\nb\\'), '"a\\nb\\\\"');
  });

  it('backquotes what is not an identifier, and keywords', () => {
    assert.equal(eqlField('process.command_line'), 'process.command_line');
    assert.equal(eqlField('@timestamp'), '@timestamp');
    assert.equal(eqlField('cs-uri-query'), '`cs-uri-query`');
    assert.equal(eqlField('Logon Type'), '`Logon Type`');
    assert.equal(eqlField('2fa'), '`2fa`');
    assert.equal(eqlField('a.sequence'), '`a.sequence`');
    assert.equal(eqlField('a`b'), '`a``b`');
  });
});

describe('Sigma regex → Lucene regex', () => {
  // [Sigma pattern, flags, Lucene pattern, regex~]; each is also run through the checker's Lucene
  // parser and compared on sample strings with RE2's unanchored search of the original.
  const cases: [string, string, string, boolean][] = [
    ['abc', '', '.*abc.*', false],
    ['^abc', '', 'abc.*', false],
    ['abc$', '', '.*abc', false],
    ['^abc$', '', 'abc', false],
    ['^$', '', '()', false],
    ['a|^b', '', '(.*a|b).*', false],
    ['(^|/)x', '', '(.*/)?x.*', false],
    ['(?i)ab', '', '.*ab.*', true],
    ['[a-c]x', 'i', '.*[A-Ca-c]x.*', true],
    ['[^a]', 'i', '.*[^Aa].*', true],
    ['a.b', '', `.*a[^\n]b.*`, false],
    ['a.b', 's', '.*a.b.*', false],
    ['^x$', 'm', `(.*\n)?x(\n.*)?`, false],
    ['\\d\\w\\s', '', '.*[0-9][0-9A-Z_a-z][\t\n\f\r ].*', false],
    ['[\\D_]', '', '.*[^0-9].*', false],
    ['a+?b*?c??', '', '.*a+b*c?.*', false],
    ['x{2,}y{3}z{1,4}', '', '.*x{2,}y{3}z{1,4}.*', false],
    ['"#@&<>~', '', '.*\\"\\#\\@\\&\\<\\>\\~.*', false],
    ['é', 'i', '.*[Éé].*', true],
    ['(?:ab|cd)+', '', '.*(ab|cd)+.*', false],
    ['\\x41\\n', '', '.*A\n.*', false],
  ];
  const samples = ['', 'abc', 'xabcx', 'b', 'ab', 'AB', 'a\nb', 'axb', 'x', '/x', '.x', 'y\nx\nz', '1a ', 'A', 'a', 'é', 'É', '_', 'abcdcd', 'xxyyyz', '"#@&<>~', 'A\n', 'aaabbc'];
  for (const [pattern, flags, expected, ci] of cases) {
    it(`${pattern} /${flags}`, () => {
      const r = sigmaRegexToLucene(pattern, { i: flags.includes('i'), m: flags.includes('m'), s: flags.includes('s') });
      assert.equal(r.source, expected);
      assert.equal(r.caseInsensitive, ci);
      const lucene = RE2JS.compile(`^(?:${luceneRegexToRe2(r.source, r.caseInsensitive)})$`, RE2JS.DOTALL);
      const sigma = RE2JS.compile(pattern, (flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0) | (flags.includes('m') ? RE2JS.MULTILINE : 0) | (flags.includes('s') ? RE2JS.DOTALL : 0));
      for (const s of samples) assert.equal(lucene.matches(s), sigma.matcher(s).find(), `${JSON.stringify(s)}`);
    });
  }

  const refused: [string, RegExp][] = [
    ['a(?=b)', /lookaround/],
    ['(a)\\1', /backreference/],
    ['\\bword\\b', /word boundary/],
    ['a(?i)b', /inline flags/],
    ['\\p{L}', /Unicode class/],
    ['a^b', /\^ inside/],
    ['a$b', /\$ inside/],
    ['(^a)*', /repetition/],
  ];
  for (const [pattern, why] of refused) {
    it(`refuses ${pattern}`, () => {
      assert.throws(() => sigmaRegexToLucene(pattern, { i: false, m: false, s: false }), (err: unknown) => isRulecastError(err) && err.code === 'unsupported-regex' && why.test(err.message));
    });
  }
});

describe('EQL three-valued guards', () => {
  const render = (detection: string) => renderEqlExpression(compileOne(ruleWith(detection)).query!.expr);

  it('a negated selection keeps events without its field', () => {
    assert.equal(render("sel:\n  A: x\nfilter:\n  B|contains: y\ncondition: sel and not filter"), 'A : "x" and (?B == null or not B : "*y*")');
  });

  it('one guard for a list of one field', () => {
    assert.equal(render("sel:\n  A: x\nfilter:\n  B|endswith: [y, z]\ncondition: sel and not filter"), 'A : "x" and (?B == null or not B : ("*y", "*z"))');
  });

  it('a conjunction of several fields: any missing field makes it false', () => {
    assert.equal(render("sel:\n  A: x\nfilter:\n  B: y\n  C: z\ncondition: sel and not filter"), 'A : "x" and (?B == null or ?C == null or not (B : "y" and C : "z"))');
  });

  it('a disjunction of several fields: De Morgan, one guard each', () => {
    assert.equal(render("sel:\n  A: x\nfilter:\n  - B: y\n  - C: z\ncondition: sel and not filter"), 'A : "x" and (?B == null or not B : "y") and (?C == null or not C : "z")');
  });

  it('null and exists tests need no guard', () => {
    assert.equal(render("sel:\n  A: x\nfilter:\n  B: null\ncondition: sel and not filter"), 'A : "x" and ?B != null');
    assert.equal(render("sel:\n  A: x\nfilter:\n  B|exists: true\ncondition: sel and not filter"), 'A : "x" and ?B == null');
  });

  it('double negation needs no guard', () => {
    assert.equal(render("sel:\n  A: x\nfilter:\n  B: y\ncondition: sel and not (not filter)"), 'A : "x" and B : "y"');
  });
});

describe('EQL refusals', () => {
  const refuse = (detection: string, code: string, message: RegExp, extra = '') => {
    const q = compileOne(ruleWith(detection, extra)).query!;
    assert.throws(
      () => eql.convert(q, { pipelines: ['none'] }),
      (err: unknown) => isRulecastError(err) && err.code === code && message.test(err.message) && err.diagnostic.span !== undefined,
    );
  };

  it('keywords name the rule and the keyword', () => refuse("keywords:\n  - mimikatz\ncondition: keywords", 'unsupported-keyword', /rule 'Test rule'.*'mimikatz'/));
  it('field references', () => refuse("sel:\n  A|fieldref: B\ncondition: sel", 'unsupported-fieldref', /cannot compare a field with another field/));
  it('time parts', () => refuse("sel:\n  T|hour: 3\ncondition: sel", 'unsupported-modifier', /no date functions/));
  it('regex word boundaries', () => refuse("sel:\n  A|re: '\\bx'\ncondition: sel", 'unsupported-regex', /word boundary/));

  it('ecs-windows refuses what its ingest pipeline does not keep', () => {
    const q = compileOne(ruleWith("sel:\n  UtcTime: '2024'\ncondition: sel")).query!;
    assert.throws(() => eql.convert(q), /UtcTime' has no equivalent.*@timestamp/);
    const h = compileOne(ruleWith("sel:\n  Hashes|contains: 'MD5=ABC'\ncondition: sel")).query!;
    assert.throws(() => eql.convert(h), /lossy|split into one field per hash algorithm/);
    const u = compileOne(ruleWith("sel:\n  User: 'SYSTEM'\ncondition: sel")).query!;
    assert.throws(() => eql.convert(u), /never the whole of it/);
  });
});

describe('ecs-windows pipeline', () => {
  const convertDefault = (detection: string, extra = '') => eql.convert(compileOne(ruleWith(detection, extra)).query!, { compact: true }).trim();

  it('maps Sysmon fields to ECS and the log source to its event category and type', () => {
    assert.equal(
      convertDefault("sel:\n  Image|endswith: '\\cmd.exe'\n  ParentImage|endswith: '\\explorer.exe'\ncondition: sel"),
      'process where event.type : "start" and process.executable : """*\\cmd.exe""" and process.parent.executable : """*\\explorer.exe"""',
    );
  });

  it('keeps unmapped event data under winlog.event_data and dotted (ECS) names as written', () => {
    assert.equal(
      convertDefault("sel:\n  IntegrityLevel: High\n  process.name: cmd.exe\ncondition: sel"),
      'process where event.type : "start" and winlog.event_data.IntegrityLevel : "High" and process.name : "cmd.exe"',
    );
  });

  it('EventID becomes the text of event.code', () => {
    const q = compileSigma(
      'title: t\nlogsource:\n  product: windows\n  service: security\ndetection:\n  sel:\n    EventID: [4624, 4625]\n  condition: sel\n',
      't.yml',
    )[0]!.query!;
    assert.equal(eql.convert(q).trim(), 'any where winlog.channel : "Security" and event.code : ("4624", "4625")');
  });
});
