// The meaning of imported queries, checked on events with the IR evaluator: each case states what
// Kusto's documentation says the operator does (case, terms, missing values, three-valued logic).
import { strict as assert } from 'node:assert';
import { SourceFile } from '../../src/diagnostics/source.js';
import { evaluate, type Event } from '../../src/ir/evaluate.js';
import { importKql } from '../../src/import/kql.js';
import type { KqlQuery } from '../../src/lower/kql.js';

function imported(query: string): KqlQuery {
  const [r] = importKql(new SourceFile('<test>.kql', query), 'kql');
  if (!r?.query) throw new Error(`import failed: ${r?.error?.message}`);
  return r.query;
}

/** Indices of the events the query's where clauses select. */
function selects(where: string, events: Event[], lets = ''): number[] {
  const q = imported(`${lets}T | where ${where}`);
  return events.flatMap((e, i) => (evaluate(q.expr, e) ? [i] : []));
}

function refusal(query: string): string {
  const [r] = importKql(new SourceFile('<test>.kql', query), 'kql');
  assert.ok(r?.error, 'expected a refusal');
  return `${r.error.code}: ${r.error.message}`;
}

describe('KQL import: operators mean what Kusto means', () => {
  const names: Event[] = [{ F: 'Cmd.exe' }, { F: 'cmd.exe' }, { F: 'CMD.EXE.bak' }, {}, { F: '' }];

  it('== is case-sensitive, =~ is not; != and !~ are their negations (missing reads as "")', () => {
    assert.deepEqual(selects('F == "cmd.exe"', names), [1]);
    assert.deepEqual(selects('F =~ "cmd.exe"', names), [0, 1]);
    assert.deepEqual(selects('F != "cmd.exe"', names), [0, 2, 3, 4]);
    assert.deepEqual(selects('F !~ "cmd.exe"', names), [2, 3, 4]);
  });

  it('a comparison with "" holds where the value is missing: a string column is never null', () => {
    assert.deepEqual(selects('F == ""', names), [3, 4]);
    assert.deepEqual(selects('F != ""', names), [0, 1, 2]);
    assert.deepEqual(selects('isempty(F)', names), [3, 4]);
    assert.deepEqual(selects('isnotempty(F)', names), [0, 1, 2]);
    assert.deepEqual(selects('F startswith ""', names), [0, 1, 2, 3, 4]);
  });

  it('contains/startswith/endswith ignore case; their _cs forms do not; ! negates', () => {
    assert.deepEqual(selects('F contains "MD.E"', names), [0, 1, 2]);
    assert.deepEqual(selects('F contains_cs "MD.E"', names), [2]);
    assert.deepEqual(selects('F startswith "cmd"', names), [0, 1, 2]);
    assert.deepEqual(selects('F startswith_cs "cmd"', names), [1]);
    assert.deepEqual(selects('F endswith ".exe"', names), [0, 1]);
    assert.deepEqual(selects('F !endswith ".exe"', names), [2, 3, 4]);
    assert.deepEqual(selects('F !contains_cs "cmd"', names), [0, 2, 3, 4]);
  });

  it('has matches whole terms (runs of ASCII letters and digits), never a part of a term', () => {
    const events: Event[] = [{ F: 'KustoExplorerQueryRun' }, { F: 'North America' }, { F: 'net.webclient.DownloadFile' }, { F: 'xAmerica' }, { F: '\u212Aab' }];
    assert.deepEqual(selects('F has "explorer"', events), []);
    assert.deepEqual(selects('F has "america"', events), [1]);
    assert.deepEqual(selects('F has_cs "america"', events), []);
    assert.deepEqual(selects('F has "Net.WebClient"', events), [2]);
    assert.deepEqual(selects('F !has "america"', events), [0, 2, 3, 4]);
    // The Kelvin sign is not an ASCII letter: it ends a term (and folds to itself, not to k).
    assert.deepEqual(selects('F has "ab"', events), [4]);
    assert.deepEqual(selects('F has_any ("america", "downloadfile")', events), [1, 2]);
    assert.deepEqual(selects('F has_all ("north", "america")', events), [1]);
  });

  it('in is case-sensitive, in~ is not; lists come from let bindings, pack_array and dynamic', () => {
    const lets = 'let names = pack_array("cmd.exe", "x"); let more = dynamic(["CMD.EXE.BAK"]);\n';
    assert.deepEqual(selects('F in ("cmd.exe", "y")', names), [1]);
    assert.deepEqual(selects('F in~ ("cmd.exe")', names), [0, 1]);
    assert.deepEqual(selects('F in (names)', names, lets), [1]);
    assert.deepEqual(selects('F in~ (names, more)', names, lets), [0, 1, 2]);
    assert.deepEqual(selects('F !in (names)', names, lets), [0, 2, 3, 4]);
    assert.deepEqual(selects('F !in~ (names, more)', names, lets), [3, 4]);
    assert.deepEqual(selects('F in ("")', names), [3, 4]);
  });

  it('matches regex is an unanchored, case-sensitive RE2 search; (?i) makes it insensitive', () => {
    assert.deepEqual(selects('F matches regex @"md\\.e"', names), [0, 1]);
    assert.deepEqual(selects('F matches regex @"(?i)^cmd\\.exe$"', names), [0, 1]);
    // A pattern that matches "" also matches where the value is missing.
    assert.deepEqual(selects('F matches regex "^$"', names), [3, 4]);
  });

  it('numeric comparisons are null on a missing value, and where drops null under not()', () => {
    const ports: Event[] = [{ P: 443 }, { P: 80 }, {}, { P: '8080' }];
    assert.deepEqual(selects('P > 100', ports), [0, 3]);
    assert.deepEqual(selects('not(P > 100)', ports), [1]);
    assert.deepEqual(selects('P != 443', ports), [1, 3]);
    assert.deepEqual(selects('not(P == 443)', ports), [1, 3]);
    assert.deepEqual(selects('P in (80, 443)', ports), [0, 1]);
    assert.deepEqual(selects('P !in (80, 443)', ports), [3]);
    assert.deepEqual(selects('P between (80 .. 443)', ports), [0, 1]);
    assert.deepEqual(selects('P !between (80 .. 443)', ports), [3]);
    assert.deepEqual(selects('not(not(P > 100))', ports), [0, 3]);
    assert.deepEqual(selects('not(P > 100 or F == "x")', [...ports, { F: 'y' }]), [1]);
  });

  it('isnull() and isnotnull() follow the column type of the Defender schema', () => {
    const net = (where: string, events: Event[]) => {
      const q = imported(`DeviceNetworkEvents | where ${where}`);
      return events.flatMap((e, i) => (evaluate(q.expr, e) ? [i] : []));
    };
    const events: Event[] = [{ LocalPort: 80 }, {}, { LocalPort: null }, { RemoteUrl: 'x' }];
    // LocalPort is a long: null where missing. RemoteUrl is a string: never null.
    assert.deepEqual(net('isnull(LocalPort)', events), [1, 2, 3]);
    assert.deepEqual(net('isnotnull(LocalPort)', events), [0]);
    assert.deepEqual(net('isnull(RemoteUrl)', events), []);
    assert.deepEqual(net('isnotnull(RemoteUrl)', events), [0, 1, 2, 3]);
  });

  it('and, or, not() and let-bound scalars', () => {
    const lets = 'let name = "cmd.exe"; let flag = true;\n';
    assert.deepEqual(selects('F =~ name and not(F == name)', names, lets), [0]);
    assert.deepEqual(selects('F == name or F endswith ".bak"', names, lets), [1, 2]);
    assert.deepEqual(selects('flag and F == name', names, lets), [1]);
  });

  it('reads tables, unions, a lookback (also via let) and project; sort changes nothing', () => {
    const q = imported('let since = ago(2h);\nunion A, B , A\n| where Timestamp > since and X == "1"\n| where Timestamp >= ago(1d)\n| project X, Timestamp\n| sort by Timestamp desc');
    assert.deepEqual(q.tables.map((t) => t.name), ['A', 'B']);
    assert.deepEqual(q.lookback, { count: 2, unit: 'h' });
    assert.equal(q.timeColumn, 'Timestamp');
    assert.deepEqual(q.fields, ['X', 'Timestamp']);
    assert.deepEqual(imported('T | where TimeGenerated > ago(90m)').lookback, { count: 90, unit: 'm' });
    assert.deepEqual(imported('T | where ago(1.5d) < Timestamp').lookback, { count: 36, unit: 'h' });
  });

  it('refuses what it cannot translate, naming the construct', () => {
    assert.equal(refusal('T | summarize count() by X'), "kql-unsupported: the 'summarize' operator is not supported (it aggregates rows); a detection rule selects rows of tables");
    assert.equal(refusal('T | where tolower(F) == "x"'), 'kql-unsupported: the function tolower() is not supported: rulecast compares columns as they are (== on tolower(…))');
    assert.equal(refusal('T | where F == G'), "kql-unsupported: '==' compares two columns (G is a column); rulecast compares columns with literal values");
    assert.equal(refusal('T | where isnull(F)'), "kql-unsupported: isnull() depends on the column's type (a string column is never null in Kusto), and the type of F is not known; use isempty() or isnotempty()");
    assert.equal(refusal('T | where F hasprefix "x"'), "kql-unsupported: the 'hasprefix' operator has no exact equivalent in rulecast's rule language");
    assert.equal(refusal('T | where Timestamp > datetime(2020-01-01)'), "kql-unsupported: only a lookback such as 'Timestamp > ago(7d)' is supported as a time filter; datetime(2020-01-01) is not");
    assert.equal(refusal('T | where F == "x" or Timestamp > ago(1d)'), 'kql-unsupported: a time filter is supported only as a lookback (Timestamp > ago(…)) at the top level of a where');
    assert.equal(refusal('T | project F | where G == "x"'), "kql-unknown-column: column 'G' is not available here: the project before this operator does not keep it");
    assert.equal(refusal('T | project N = F'), "kql-unsupported: 'project N = …' names or computes a column; rulecast imports a project of existing columns");
    assert.equal(refusal('let x = T | where F == "a"; x'), 'kql-unsupported: let x binds a tabular expression; rulecast imports let bindings of scalars and lists only');
    assert.equal(refusal('union kind=outer A, B'), 'kql-unsupported: union option kind=outer is not supported; rulecast imports a plain union of tables');
    assert.equal(refusal('union Device*'), 'kql-unsupported: union Device* names tables by a wildcard; rulecast needs the tables by name');
    assert.equal(refusal('T | where F matches regex "(a"'), "kql-invalid-regex: '(a' is not a valid RE2 regular expression: error parsing regexp: missing closing ): `(a`");
    assert.equal(refusal('let x = 1;'), 'kql-no-query: the text has no query statement (only let bindings or nothing at all)');
  });
});
