// Exclusions in the rule's own namespace (src/pipelines/namespace.ts, the ECS → Sigma taxonomy in
// src/pipelines/taxonomy/ecs-sigma.yml): how a rule's namespace is decided, what each ECS field
// becomes in each log source, the refusals, and the property that the mapped exclusion judges a
// Sysmon event exactly as the exclusion as written judges the ECS version of the same event.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { compileSigma, convertQuery, exclusionsFor, formatDiagnostic, isRulecastError, readExclusions, tuneQuery, type QueryExclusion, type RuleQuery } from '../../src/index.js';
import { diagnosticLocation } from '../../src/diagnostics/diagnostic.js';
import { pred, stringPred } from '../../src/ir/build.js';
import { evaluate, type Event } from '../../src/ir/evaluate.js';
import { pattern } from '../../src/ir/pattern.js';
import { ONE, STAR, type Expr, type PatternPart, type Pred } from '../../src/ir/types.js';
import { compileExclusion } from '../../src/lower/exclusion.js';
import { ecsFieldNames, ecsFieldType, ecsVersion } from '../../src/pipelines/ecs.js';
import { builtinPipelines } from '../../src/pipelines/load.js';
import { ecsSigmaTaxonomy, exclusionsInRuleNamespace, ruleFields, ruleNamespace } from '../../src/pipelines/namespace.js';
import { ir } from '../support/rules.js';

/** A rule over one log source with a detection given as YAML lines. */
function rule(detection: string, logsource: string = 'category: process_creation\n  product: windows'): RuleQuery {
  const text = `title: t\nlogsource:\n  ${logsource}\ndetection:\n${detection.replace(/^/gm, '  ')}\n`;
  const [doc] = compileSigma(text, 'rule.yml');
  assert.ok(doc?.query, doc?.diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
  return doc.query;
}

const sigmaRule = () => rule("sel:\n  Image|endswith: '\\nbtscan.exe'\ncondition: sel");
const ecsRule = () => rule("sel:\n  process.name: nbtscan.exe\ncondition: sel");

function exclusion(filter: string, name = 'x'): QueryExclusion {
  const { expr } = compileExclusion(filter, 'ex.txt');
  return { name, expr };
}

/** The exclusion as the rule's branch for a log source carries it. */
function mapped(query: RuleQuery, e: QueryExclusion | Expr, logsource = query.logsources[0]!): Expr {
  const ex = 'kind' in e ? { name: 'x', expr: e } : e;
  return exclusionsInRuleNamespace(tuneQuery(query, [ex]), logsource)[0]!.expr;
}

function refusal(f: () => unknown): { code: string; message: string; line: number | null; column: number | null } {
  try {
    f();
  } catch (err) {
    if (!isRulecastError(err)) throw err;
    const { line, column } = diagnosticLocation(err.diagnostic);
    return { code: err.code, message: err.message, line, column };
  }
  assert.fail('expected a refusal');
}

/** The last part of a path, as ECS derives process.name from process.executable. */
const lastPart = (path: string, separators: string): string => {
  let i = -1;
  for (const s of separators) i = Math.max(i, path.lastIndexOf(s));
  return path.slice(i + 1);
};

describe('exclusions in the rule namespace', () => {
  describe('ECS field names from @elastic/ecs', () => {
    it('knows every ECS field with its type, from the package', () => {
      assert.equal(ecsVersion, '9.4.0');
      assert.equal(ecsFieldNames().length, 2605);
      assert.equal(ecsFieldType('process.pid'), 'long');
      assert.equal(ecsFieldType('process.args'), 'keyword');
      assert.equal(ecsFieldType('proces.nme'), undefined);
    });

    it('the taxonomy is data, not a target pipeline, and maps only ECS names to names of its log source', () => {
      assert.ok(!builtinPipelines().includes('taxonomy/ecs-sigma'));
      const taxonomy = ecsSigmaTaxonomy();
      for (const source of taxonomy.sources) {
        const own = new Set(source.fieldmaps.flatMap((m) => [...m.fields].filter(([k, t]) => t.kind === 'field' && t.field === k).map(([k]) => k)));
        for (const m of source.fieldmaps) {
          for (const [from, to] of m.fields) {
            if (to.kind !== 'field' || to.field === from) continue;
            assert.ok(ecsFieldType(from), `${m.name}: ${from} is not an ECS field`);
            assert.ok(own.has(to.field), `${m.name}: ${from} → ${to.field}, which is not a field of ${JSON.stringify(source.logsource)}`);
          }
        }
      }
    });
  });

  describe("a rule's namespace", () => {
    it('is ECS when every field of the detection is an ECS field, the Sigma taxonomy otherwise', () => {
      assert.equal(ruleNamespace(ruleFields(ecsRule().expr)), 'ecs');
      assert.equal(ruleNamespace(ruleFields(sigmaRule().expr)), 'sigma');
      assert.equal(ruleNamespace(ruleFields(rule("sel:\n  Image|endswith: x\n  process.name: y\ncondition: sel").expr)), 'sigma');
      // Keywords name no field: Sigma's rules are written in the taxonomy.
      assert.equal(ruleNamespace(ruleFields(rule('keywords:\n  - evil\ncondition: keywords').expr)), 'sigma');
    });

    it('an ECS rule keeps ECS exclusions as written', () => {
      const e = exclusion('process.name == "nbtscan" AND process.args contains "scan"');
      assert.equal(ir(mapped(ecsRule(), e)), ir(e.expr));
    });

    it("a field the rule itself uses, or a Sigma name of the rule's log source, stays as written", () => {
      const e = exclusion('Image endswith "\\\\x.exe" AND IntegrityLevel == "System"');
      assert.equal(ir(mapped(sigmaRule(), e)), ir(e.expr));
    });

    it('a field reference is kept in the rule names, refused in ECS names of a Sigma-taxonomy rule', () => {
      const ref = (field: string, other: string) => pred({ op: 'fieldref', field, value: { field: other, match: 'eq' } });
      assert.equal(ir(mapped(sigmaRule(), ref('Image', 'ParentImage'))), ir(ref('Image', 'ParentImage')));
      assert.equal(ir(mapped(ecsRule(), ref('process.name', 'process.parent.name'))), ir(ref('process.name', 'process.parent.name')));
      assert.equal(refusal(() => mapped(sigmaRule(), ref('process.name', 'process.parent.name'))).code, 'exclusion-field-unmapped');
    });

    it('a Sigma filter document is written in the rule names and passes as it is', () => {
      const e: QueryExclusion = { name: 'f', expr: pred({ op: 'eq', field: 'process.name', value: 'x' }), namespace: 'rule' };
      assert.equal(ir(mapped(sigmaRule(), e)), ir(e.expr));
      // Read from a file: a field neither ECS nor of the taxonomy (a site's own) is taken as written.
      const text = 'title: Site field\nlogsource:\n  product: windows\nfilter:\n  rules: any\n  selection:\n    SiteTag: lab\n  condition: not selection\n';
      const [filter] = exclusionsFor([readExclusions(text, 'filter.yml')], { logsource: { product: 'windows', category: 'process_creation' } }).exclusions;
      assert.equal(filter!.namespace, 'rule');
      assert.match(convertQuery(tuneQuery(sigmaRule(), [filter!]), 'spl'), /NOT SiteTag="lab"/);
    });
  });

  describe('ECS → Sigma per log source', () => {
    it('process.name is the file name of Image: `\\` on Windows, `/` on Linux and macOS', () => {
      const e = exclusion('process.name == "nbtscan"');
      assert.equal(ir(mapped(sigmaRule(), e)), ir(exclusion('Image == "nbtscan" OR Image endswith "\\\\nbtscan"').expr));
      const linux = rule("sel:\n  Image|endswith: /nmap\ncondition: sel", 'category: process_creation\n  product: linux');
      assert.equal(ir(mapped(linux, e)), ir(exclusion('Image == "nbtscan" OR Image endswith "/nbtscan"').expr));
      const macos = rule("sel:\n  Image|endswith: /nmap\ncondition: sel", 'category: process_creation\n  product: macos');
      assert.equal(ir(mapped(macos, e)), ir(exclusion('Image == "nbtscan" OR Image endswith "/nbtscan"').expr));
    });

    it('process.parent.name → ParentImage, process.args → CommandLine, user.name → the name part of User', () => {
      const e = exclusion('process.parent.name endswith "cmd.exe" AND process.args contains "-r" AND user.name == "svc"');
      const want = exclusion('ParentImage endswith "cmd.exe" AND CommandLine contains "-r" AND (User == "svc" OR User endswith "\\\\svc")');
      assert.equal(ir(mapped(sigmaRule(), e)), ir(want.expr));
    });

    it('the process of an event is the source process in process_access, the image of a file event is Image', () => {
      const access = rule("sel:\n  TargetImage|endswith: '\\lsass.exe'\ncondition: sel", 'category: process_access\n  product: windows');
      assert.equal(ir(mapped(access, exclusion('process.executable == "C:\\\\x.exe"'))), ir(exclusion('SourceImage == "C:\\\\x.exe"').expr));
      const file = rule("sel:\n  TargetFilename|endswith: '.ps1'\ncondition: sel", 'category: file_event\n  product: windows');
      assert.equal(ir(mapped(file, exclusion('process.executable == "a" AND file.path == "b"'))), ir(exclusion('Image == "a" AND TargetFilename == "b"').expr));
      const dns = rule('sel:\n  QueryName|endswith: .onion\ncondition: sel', 'category: dns_query\n  product: windows');
      assert.equal(ir(mapped(dns, exclusion('dns.question.name == "a.onion"'))), ir(exclusion('QueryName == "a.onion"').expr));
    });

    it('a rule over several log sources gets the exclusion per log source', () => {
      const q = rule(
        "sel:\n  Image|endswith: '\\nbtscan.exe'\ncondition: sel",
        'category: process_creation\n  product: windows\nrulecast:\n  logsources:\n    - {category: file_event, product: windows}',
      );
      const e = exclusion('process.args contains "x"', 'Args');
      assert.equal(ir(mapped(q, e, q.logsources[0])), ir(exclusion('CommandLine contains "x"').expr));
      // Sysmon's file events have no command line.
      const r = refusal(() => mapped(q, e, q.logsources[1]));
      assert.equal(r.code, 'exclusion-field-unmapped');
      assert.match(r.message, /exclusion 'Args': ECS field 'process\.args' has no exact counterpart in logsource \{product: windows, category: file_event\}/);
    });
  });

  describe('refusals, located at the field', () => {
    it('unknown exclusion field (proces.nme) accepted without a did-you-mean: now an error on every target', () => {
      const text = 'process.name == "a" AND proces.nme == "nbtscan"';
      const tuned = tuneQuery(sigmaRule(), [{ ...exclusion(text, 'Typo') }]);
      for (const target of ['kql', 'spl', 'eql', 'sigma']) {
        const r = refusal(() => convertQuery(tuned, target, target === 'sigma' ? {} : { pipelines: ['none'] }));
        assert.equal(r.code, 'unknown-exclusion-field', target);
        assert.equal(r.message, "exclusion 'Typo': unknown field 'proces.nme' for logsource {product: windows, category: process_creation}; did you mean 'process.name'?");
        assert.deepEqual([r.line, r.column], [1, 25]);
      }
      // The same in a rule written in ECS names.
      const ecs = refusal(() => convertQuery(tuneQuery(ecsRule(), [exclusion(text, 'Typo')]), 'spl'));
      assert.equal(ecs.code, 'unknown-exclusion-field');
      assert.match(ecs.message, /did you mean 'process\.name'\?$/);
    });

    it("a Sigma name in an ECS rule suggests the field's ECS name", () => {
      const r = refusal(() => mapped(ecsRule(), exclusion('ParentImage endswith "\\\\cmd.exe"')));
      assert.equal(r.code, 'unknown-exclusion-field');
      assert.match(r.message, /unknown field 'ParentImage' .*; did you mean 'process\.parent\.executable' \(the ECS name of ParentImage\)\?/);
    });

    it('an ECS field without an exact counterpart in the log source is refused, naming field, log source and exclusion', () => {
      const r = refusal(() => mapped(sigmaRule(), exclusion('process.name == "a" OR process.hash.sha1 == "0a"', 'Hash')));
      assert.equal(r.code, 'exclusion-field-unmapped');
      assert.equal(r.message, "exclusion 'Hash': ECS field 'process.hash.sha1' has no exact counterpart in logsource {product: windows, category: process_creation}, whose rule is written in Sigma taxonomy names; rulecast never renders it under its ECS name, where it would match nothing");
      assert.deepEqual([r.line, r.column], [1, 24]);
      // A log source the taxonomy has no entry for: ECS names are refused, its own names kept.
      const security = rule('sel:\n  EventID: 4625\ncondition: sel', 'product: windows\n  service: security');
      assert.equal(refusal(() => mapped(security, exclusion('user.name == "svc"'))).code, 'exclusion-field-unmapped');
      const own = exclusion('TargetUserName == "svc"');
      assert.equal(ir(mapped(security, own)), ir(own.expr));
    });

    it('a condition the Sigma field cannot express exactly is refused with the reason of the target pipelines', () => {
      const r = refusal(() => mapped(sigmaRule(), exclusion('process.args == "-r"', 'Args')));
      assert.equal(r.code, 'lossy-mapping');
      assert.match(r.message, /^exclusion 'Args' \(logsource \{product: windows, category: process_creation\}, process\.args as CommandLine\): field 'process\.args' holds the whole command line, and only 'contains' of a text without spaces or quotes means the same for one argument/);
      const name = refusal(() => mapped(sigmaRule(), exclusion('process.name == "bin\\\\x.exe"')));
      assert.equal(name.code, 'lossy-mapping');
      assert.match(name.message, /holds a whole path and the value names a folder too/);
      assert.equal(refusal(() => mapped(sigmaRule(), exclusion('process.name matches "^x"'))).code, 'lossy-mapping');
      assert.equal(refusal(() => mapped(sigmaRule(), exclusion('process.name == 5'))).code, 'lossy-mapping');
    });
  });

  describe('name-in-path: every operator exact or refused', () => {
    const on = (p: Pred) => mapped(sigmaRule(), { name: 'x', expr: p });
    const name = (init: { op: string; value?: string; cased?: boolean }) => pred({ ...init, field: 'process.name' } as never);
    it('eq and endswith as plain comparisons, contains/startswith/patterns as a regex on the last part', () => {
      assert.equal(ir(on(name({ op: 'endswith', value: '.exe' }))), ir(pred({ op: 'endswith', field: 'Image', value: '.exe' })));
      assert.equal(ir(on(name({ op: 'contains', value: '' }))), ir(pred({ op: 'contains', field: 'Image', value: '' })));
      const re = (e: Expr) => (e.kind === 'pred' && e.op === 're' ? [e.value.pattern, e.cased] : undefined);
      assert.deepEqual(re(on(name({ op: 'contains', value: 'SCCM' }))), ['[Ss][Cc][Cc][Mm][^\\\\]*$', true]);
      assert.deepEqual(re(on(name({ op: 'contains', value: 'a.b', cased: true }))), ['a\\.b[^\\\\]*$', true]);
      // The Kelvin sign is not a case of k in rulecast's folding (RE2's (?i) would match it).
      assert.deepEqual(re(on(name({ op: 'startswith', value: 'k' }))), ['(^|[\\\\])[Kk][^\\\\]*$', true]);
      assert.deepEqual(re(on(stringPred('process.name', pattern(['a', ONE, 'b', STAR, '.exe']), false))), ['(^|[\\\\])[Aa][^\\\\][Bb][^\\\\]*\\.[Ee][Xx][Ee]$', true]);
      assert.equal(ir(on(name({ op: 'exists' }))), ir(pred({ op: 'exists', field: 'Image' })));
    });

    // Strings made of what matters here: both separators, letters whose case folding differs
    // between engines (k and the Kelvin sign, s and the long s, İ, the sigmas), wildcards as text.
    const piece = fc.constantFrom('\\', '/', 'a', 'A', 'k', 'K', '\u212a', 's', 'S', '\u017f', 'İ', 'i', 'σ', 'ς', 'Σ', '.', '*', '?', ' ', 'x');
    const text = fc.array(piece, { maxLength: 7 }).map((p) => p.join(''));
    const patternParts = fc.array(fc.oneof(text, fc.constant<PatternPart>(STAR), fc.constant<PatternPart>(ONE)), { maxLength: 5 });
    const predicate = (field: string): fc.Arbitrary<Pred> =>
      fc.oneof(
        fc.record({ op: fc.constantFrom('eq', 'contains', 'startswith', 'endswith'), value: text, cased: fc.boolean() }).map((r) => pred({ ...r, field } as never)),
        fc.record({ parts: patternParts, cased: fc.boolean() }).map((r) => stringPred(field, pattern(r.parts), r.cased)),
        fc.constantFrom('exists', 'null').map((op) => pred({ op, field } as never)),
      );
    const path = fc.option(text, { nil: undefined });

    it('property: the mapped exclusion on a Sysmon event equals the exclusion on its ECS version', () => {
      const linux = rule("sel:\n  Image|endswith: /nmap\ncondition: sel", 'category: process_creation\n  product: linux');
      const cases: [RuleQuery, string, string, string][] = [
        [sigmaRule(), 'process.name', 'Image', '\\'],
        [sigmaRule(), 'process.parent.name', 'ParentImage', '\\'],
        [sigmaRule(), 'user.name', 'User', '\\'],
        [linux, 'process.name', 'Image', '/'],
      ];
      let compared = 0;
      let refused = 0;
      for (const [query, ecs, sigma, separator] of cases) {
        fc.assert(
          fc.property(predicate(ecs), path, (p, value) => {
            let m: Expr;
            try {
              m = mapped(query, { name: 'x', expr: p });
            } catch (err) {
              if (!isRulecastError(err)) throw err;
              // Refused only where the last part cannot be said exactly: a separator in the value.
              const literal = p.op === 'wildcard' ? p.value.parts.filter((x): x is string => typeof x === 'string').join('') : String((p as { value?: unknown }).value);
              assert.ok(literal.includes(separator), `${err.message} on ${JSON.stringify(p)}`);
              refused++;
              return;
            }
            const sysmon: Event = value === undefined ? {} : { [sigma]: value };
            const ecsEvent: Event = value === undefined ? {} : { [ecs]: lastPart(value, separator) };
            assert.equal(evaluate(m, sysmon), evaluate(p, ecsEvent), `${JSON.stringify(p)} on ${JSON.stringify(value)}: ${ir(m)}`);
            compared++;
          }),
          { numRuns: 400, seed: 13 },
        );
      }
      assert.ok(compared > 1000 && refused > 0, `${compared} compared, ${refused} refused`);
    });

    it('property: process.args contains X on the arguments equals CommandLine contains X, or is refused', () => {
      const word = fc.array(fc.constantFrom('a', 'A', '-', '/', '\\', 'k', '\u212a', '.', 'x'), { minLength: 1, maxLength: 4 }).map((p) => p.join(''));
      const commandLine = fc.array(word, { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));
      let compared = 0;
      fc.assert(
        fc.property(predicate('process.args'), fc.option(commandLine, { nil: undefined }), (p, line) => {
          let m: Expr;
          try {
            m = mapped(sigmaRule(), { name: 'x', expr: p });
          } catch (err) {
            if (!isRulecastError(err)) throw err;
            assert.ok(!(p.op === 'contains' && p.value !== '' && !/[\s"']/.test(p.value)) && p.op !== 'exists' && p.op !== 'null', err.message);
            return;
          }
          // ECS process.args: the command line's parts (no quotes in these command lines).
          const sysmon: Event = line === undefined ? {} : { CommandLine: line };
          const ecsEvent: Event = line === undefined ? {} : { 'process.args': line.split(' ') };
          assert.equal(evaluate(m, sysmon), evaluate(p, ecsEvent), `${JSON.stringify(p)} on ${JSON.stringify(line)}`);
          compared++;
        }),
        { numRuns: 600, seed: 7 },
      );
      assert.ok(compared > 50, `${compared} compared`);
    });
  });

  describe('target pipelines on a rule in ECS names', () => {
    const tuned = (filter: string) => tuneQuery(ecsRule(), [exclusion(filter, 'E')]);
    const reason = (target: string, pipeline: string, filter: string) => {
      const r = refusal(() => convertQuery(tuned(filter), target, { pipelines: [pipeline] }));
      assert.equal(r.code, 'lossy-mapping');
      // The reason after the field (and the source it is in, which differs by target).
      return r.message.replace(/^.*?: field 'process\.args' (in \S+ )?/, '').replace(/ \(pipeline [^)]*\)$/, '');
    };

    it('splunk-windows and splunk-cim refused process.args that the KQL pipelines accept: now the same transform', () => {
      assert.match(convertQuery(tuned('process.args contains "inventory"'), 'kql'), /and ProcessCommandLine !contains "inventory"$/);
      assert.match(convertQuery(tuned('process.args contains "inventory"'), 'spl', { pipelines: ['splunk-windows'] }), /NOT CommandLine="\*inventory\*"/);
      assert.match(convertQuery(tuned('process.args contains "inventory"'), 'spl', { pipelines: ['splunk-cim'] }), /NOT process="\*inventory\*"/);
      const kql = reason('kql', 'defender-xdr', 'process.args == "inventory"');
      assert.equal(reason('spl', 'splunk-windows', 'process.args == "inventory"'), kql);
      assert.equal(reason('spl', 'splunk-cim', 'process.args == "inventory"'), kql);
      assert.equal(reason('kql', 'sentinel-asim', 'process.args == "inventory"'), kql);
    });

    it('splunk-windows: process.parent.name contains is a regex on the last part of ParentImage', () => {
      const spl = convertQuery(tuned('process.parent.name contains "SCCM"'), 'spl', { pipelines: ['splunk-windows'] });
      assert.ok(spl.includes(String.raw`| regex ParentImage!="[Ss][Cc][Cc][Mm][^\\\\\\/]*\\z"`), spl);
    });
  });
});
