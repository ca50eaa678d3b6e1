import { strict as assert } from 'node:assert';
import { ir, lowerDetection, lowerError } from '../support/rules.js';

/** The IR of `sel: {<key>: <value>}` with `condition: sel`. */
function lower(key: string, value: string, options = {}): string {
  return ir(lowerDetection(`sel:\n  ${key}: ${value}\ncondition: sel`, options));
}

function fails(key: string, value: string): string {
  return lowerError(`sel:\n  ${key}: ${value}\ncondition: sel`);
}

describe('value modifiers', () => {
  describe('generic', () => {
    it('no modifier: case-insensitive equality', () => {
      assert.equal(lower('Image', "'C:\\Windows\\cmd.exe'"), '{"op":"eq","field":"Image","value":"C:\\\\Windows\\\\cmd.exe"}');
    });
    it('contains / startswith / endswith', () => {
      assert.equal(lower('CommandLine|contains', 'foo'), '{"op":"contains","field":"CommandLine","value":"foo"}');
      assert.equal(lower('CommandLine|startswith', 'foo'), '{"op":"startswith","field":"CommandLine","value":"foo"}');
      assert.equal(lower('CommandLine|endswith', 'foo'), '{"op":"endswith","field":"CommandLine","value":"foo"}');
    });
    it('contains does not double an existing wildcard', () => {
      assert.equal(lower('CommandLine|contains', "'*foo'"), '{"op":"contains","field":"CommandLine","value":"foo"}');
    });
    it('contains around an inner wildcard keeps it anchored and ordered', () => {
      assert.equal(lower('CommandLine|contains', "'a*b'"), '{"op":"wildcard","field":"CommandLine","value":"*a*b*"}');
    });
    it('startswith then endswith is contains', () => {
      assert.equal(lower('CommandLine|startswith|endswith', 'x'), '{"op":"contains","field":"CommandLine","value":"x"}');
    });
    it('a list is ORed, |all ANDs it', () => {
      assert.equal(lower('F', '[a, b]'), '{"or":[{"op":"eq","field":"F","value":"a"},{"op":"eq","field":"F","value":"b"}]}');
      assert.equal(lower('F|contains|all', '[a, b]'), '{"and":[{"op":"contains","field":"F","value":"a"},{"op":"contains","field":"F","value":"b"}]}');
    });
    it('all on a single value warns but works', () => {
      assert.equal(lower('F|contains|all', 'a'), '{"op":"contains","field":"F","value":"a"}');
    });
    it('cased makes any string predicate case-sensitive', () => {
      assert.equal(lower('F|cased', 'Foo'), '{"op":"eq","field":"F","value":"Foo","cased":true}');
      assert.equal(lower('F|cased|contains', 'Foo'), '{"op":"contains","field":"F","value":"Foo","cased":true}');
      assert.equal(lower('F|contains|cased', 'Foo'), '{"op":"contains","field":"F","value":"Foo","cased":true}');
    });
    it('neq negates the whole item (NOT of the ORed values)', () => {
      assert.equal(lower('F|neq', '[a, b]'), '{"not":{"or":[{"op":"eq","field":"F","value":"a"},{"op":"eq","field":"F","value":"b"}]}}');
      assert.equal(lower('F|neq', '5'), '{"not":{"op":"eq","field":"F","value":5}}');
    });
    it('exists true / false (YAML 1.1 yes/no too)', () => {
      assert.equal(lower('F|exists', 'true'), '{"op":"exists","field":"F"}');
      assert.equal(lower('F|exists', 'no'), '{"not":{"op":"exists","field":"F"}}');
      assert.equal(lower('F|exists', 'yes'), '{"op":"exists","field":"F"}');
    });
    it('exists needs a boolean and no other modifier', () => {
      assert.match(fails('F|exists', "'true'"), /^modifier-type: modifier 'exists' cannot apply to a string/);
      assert.match(fails('F|contains|exists', 'true'), /^invalid-modifier-combination: modifier 'exists' only applies to the value as written/);
    });
  });

  describe('regular expressions', () => {
    it('re keeps the pattern unchanged and is case-sensitive', () => {
      assert.equal(lower('F|re', "'^a\\d+[*?]$'"), '{"op":"re","field":"F","value":{"pattern":"^a\\\\d+[*?]$","flags":""},"cased":true}');
    });
    it('i, m, s flags (and their long names)', () => {
      assert.equal(lower('F|re|i', 'x'), '{"op":"re","field":"F","value":{"pattern":"x","flags":""}}');
      assert.equal(lower('F|re|m|s', 'x'), '{"op":"re","field":"F","value":{"pattern":"x","flags":"ms"},"cased":true}');
      assert.equal(lower('F|re|ignorecase|multiline|dotall', 'x'), '{"op":"re","field":"F","value":{"pattern":"x","flags":"ms"}}');
    });
    it('re must come first; flags need re', () => {
      assert.match(fails('F|contains|re', 'x'), /^invalid-modifier-combination: modifier 're' only applies to the value as written, so it must come before 'contains'/);
      assert.match(fails('F|i', 'x'), /^modifier-type: modifier 'i' cannot apply to a string/);
      assert.match(fails('F|re|i|ignorecase', 'x'), /^invalid-modifier-combination: modifier 'ignorecase' is applied more than once/);
    });
    it('startswith/endswith anchor a regex; contains leaves the search as is', () => {
      assert.equal(lower('F|re|startswith', "'a|b'"), '{"op":"re","field":"F","value":{"pattern":"^(?:a|b)","flags":""},"cased":true}');
      assert.equal(lower('F|re|endswith', "'a|b'"), '{"op":"re","field":"F","value":{"pattern":"(?:a|b)$","flags":""},"cased":true}');
      assert.equal(lower('F|re|contains', 'ab'), '{"op":"re","field":"F","value":{"pattern":"ab","flags":""},"cased":true}');
    });
  });

  describe('encodings', () => {
    it('base64', () => {
      assert.equal(lower('F|base64', 'cmd'), '{"op":"eq","field":"F","value":"Y21k","cased":true}');
    });
    it('base64offset|contains gives the three shifted encodings (IEX)', () => {
      assert.equal(
        lower('F|base64offset|contains', 'IEX'),
        '{"or":[{"op":"contains","field":"F","value":"SUVY","cased":true},{"op":"contains","field":"F","value":"lFW","cased":true},{"op":"contains","field":"F","value":"JRV","cased":true}]}',
      );
    });
    it('base64offset of the specification example: http://', () => {
      assert.equal(
        lower('F|base64offset|contains', "'http://'"),
        '{"or":[{"op":"contains","field":"F","value":"aHR0cDovL","cased":true},{"op":"contains","field":"F","value":"h0dHA6Ly","cased":true},{"op":"contains","field":"F","value":"odHRwOi8v","cased":true}]}',
      );
    });
    it('wide / utf16le / utf16be / utf16 with base64', () => {
      assert.equal(lower('F|wide|base64', 'cmd'), '{"op":"eq","field":"F","value":"YwBtAGQA","cased":true}');
      assert.equal(lower('F|utf16le|base64', 'cmd'), '{"op":"eq","field":"F","value":"YwBtAGQA","cased":true}');
      assert.equal(lower('F|utf16be|base64', 'cmd'), '{"op":"eq","field":"F","value":"AGMAbQBk","cased":true}');
      assert.equal(lower('F|utf16|base64', 'cmd'), '{"op":"eq","field":"F","value":"//5jAG0AZAA=","cased":true}');
    });
    it('wide|base64offset|contains (the common PowerShell -enc pattern)', () => {
      assert.equal(
        lower('F|wide|base64offset|contains', 'IEX'),
        '{"or":[{"op":"contains","field":"F","value":"SQBFAFgA","cased":true},{"op":"contains","field":"F","value":"kARQBYA","cased":true},{"op":"contains","field":"F","value":"JAEUAWA","cased":true}]}',
      );
    });
    it('wide alone keeps wildcards and encodes the literal parts', () => {
      assert.equal(lower('F|wide|contains', 'ab'), '{"op":"contains","field":"F","value":"a\\u0000b\\u0000"}');
    });
    it('base64 refuses wildcards; two encodings are an error', () => {
      assert.match(fails('F|contains|base64', 'x'), /^invalid-modifier-value: base64 cannot encode a value with wildcards/);
      assert.match(fails('F|wide|utf16be', 'x'), /^invalid-modifier-combination: the value is already encoded/);
    });
  });

  describe('windash', () => {
    it('expands an option dash into the five dash forms', () => {
      assert.equal(
        lower('F|windash|contains', "' -enc '"),
        '{"or":[{"op":"contains","field":"F","value":" -enc "},{"op":"contains","field":"F","value":" /enc "},{"op":"contains","field":"F","value":" –enc "},{"op":"contains","field":"F","value":" —enc "},{"op":"contains","field":"F","value":" ―enc "}]}',
      );
    });
    it('a slash is an option character too; a dash inside a word is left alone', () => {
      const out = JSON.parse(lower('F|windash', "'/param-name'")) as { or: { value: string }[] };
      assert.deepEqual(out.or.map((p) => p.value), ['-param-name', '/param-name', '–param-name', '—param-name', '―param-name']);
    });
    it('several option dashes give every combination', () => {
      const out = JSON.parse(lower('F|windash', "'-a -b'")) as { or: unknown[] };
      assert.equal(out.or.length, 25);
    });
    it('with all: each value is an OR of its variants, the values are ANDed', () => {
      const out = JSON.parse(lower('F|windash|contains|all', "['-a', '-b']")) as { and: { or: unknown[] }[] };
      assert.equal(out.and.length, 2);
      assert.equal(out.and[0]!.or.length, 5);
    });
  });

  describe('cidr', () => {
    it('IPv4 and IPv6 networks, decided per value', () => {
      assert.equal(
        lower('DestinationIp|cidr', "['10.0.0.0/8', 'fe80::/10']"),
        '{"or":[{"op":"cidr","field":"DestinationIp","value":"10.0.0.0/8"},{"op":"cidr","field":"DestinationIp","value":"fe80::/10"}]}',
      );
    });
    it('an invalid network is an error at the modifier', () => {
      assert.match(fails('F|cidr', "'10.0.0.0/33'"), /^invalid-cidr: '10.0.0.0\/33' is not an IPv4 or IPv6 CIDR network/);
      assert.match(fails('F|cidr', "'300.1.1.1/8'"), /^invalid-cidr/);
    });
  });

  describe('numbers and time', () => {
    it('lt, lte, gt, gte', () => {
      assert.equal(lower('F|lt', '5'), '{"op":"lt","field":"F","value":5}');
      assert.equal(lower('F|lte', '5'), '{"op":"lte","field":"F","value":5}');
      assert.equal(lower('F|gt', '5.5'), '{"op":"gt","field":"F","value":5.5}');
      assert.equal(lower('F|gte', "'7'"), '{"op":"gte","field":"F","value":7}');
      assert.match(fails('F|gt', 'abc'), /^invalid-modifier-value: gt compares numbers/);
    });
    it('minute, hour, day, week, month, year compare a part of a timestamp', () => {
      for (const [m, v] of [['minute', 30], ['hour', 5], ['day', 1], ['week', 52], ['month', 12], ['year', 2024]] as const) {
        assert.equal(lower(`T|${m}`, String(v)), `{"op":"eq","field":"T","value":${v},"timePart":"${m}"}`);
      }
      assert.match(fails('T|hour', '24'), /^invalid-modifier-value: hour must be between 0 and 23/);
    });
  });

  describe('fieldref', () => {
    it('compares two fields', () => {
      assert.equal(lower('A|fieldref', 'B'), '{"op":"fieldref","field":"A","value":"B"}');
      assert.equal(lower('A|fieldref|endswith', 'B'), '{"op":"fieldref","field":"A","value":{"field":"B","match":"endswith"}}');
      assert.equal(lower('A|fieldref|neq', 'B'), '{"not":{"op":"fieldref","field":"A","value":"B"}}');
      assert.match(fails('A|fieldref', "'B*'"), /^invalid-modifier-value: a field reference names a field and cannot contain wildcards/);
    });
  });

  describe('expand (placeholders)', () => {
    it('fails clearly without values', () => {
      assert.match(fails('User|expand', "'%Admins%'"), /^unresolved-placeholder: placeholder %Admins% has no values/);
    });
    it('expands with the values given', () => {
      assert.equal(
        lower('User|expand', "'%Admins%'", { placeholders: { Admins: ['root', 'adm_*'] } }),
        '{"or":[{"op":"eq","field":"User","value":"root"},{"op":"startswith","field":"User","value":"adm_"}]}',
      );
    });
  });

  describe('errors', () => {
    it('an unknown modifier suggests the closest', () => {
      assert.match(fails('F|contain', 'x'), /^unknown-modifier: unknown modifier 'contain'; did you mean 'contains'\?/);
    });
    it('modifier names are case-sensitive', () => {
      assert.match(fails('F|Contains', 'x'), /^unknown-modifier/);
    });
    it('a modifier applied twice', () => {
      assert.match(fails('F|contains|contains', 'x'), /^invalid-modifier-combination: modifier 'contains' is applied more than once/);
    });
  });
});
