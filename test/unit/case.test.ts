// Case folding (src/ir/case.ts): what "case-insensitive" means for every backend and the evaluator.
import { strict as assert } from 'node:assert';
import { foldCase, foldCodePoint, foldVariants, hasFoldVariants } from '../../src/ir/case.js';

const isSurrogate = (cp: number) => cp >= 0xd800 && cp <= 0xdfff;

describe('case folding', () => {
  it('lowers each character by itself, one for one', () => {
    assert.equal(foldCase('C:\\WINDOWS\\Cmd.EXE'), 'c:\\windows\\cmd.exe');
    assert.equal(foldCase('ÉTÉ Straße'), 'été straße');
    // JavaScript lowers a word-final Σ to ς; folding has no context.
    assert.equal('ΑΣ'.toLowerCase(), 'ας');
    assert.equal(foldCase('ΑΣ'), 'ασ');
    assert.equal(foldCase('𐐀'), '𐐨'); // Deseret, outside the BMP
  });

  it('İ and the Kelvin sign stand for themselves (JavaScript lowers them to two characters, or to ASCII)', () => {
    assert.equal('\u0130'.toLowerCase(), 'i\u0307');
    assert.equal(foldCase('\u0130'), '\u0130');
    assert.equal('\u212a'.toLowerCase(), 'k');
    assert.equal(foldCase('\u212a'), '\u212a');
    assert.deepEqual(foldVariants(0x130), [0x130]);
    assert.deepEqual(foldVariants(0x6b), [0x4b, 0x6b]);
  });

  it('for every code point: idempotent, same UTF-16 length, never from outside ASCII into it, no case past U+1FFFF', () => {
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (isSurrogate(cp)) continue;
      const folded = foldCodePoint(cp);
      if (foldCodePoint(folded) !== folded) assert.fail(`U+${cp.toString(16)} folds twice`);
      if (folded > 0xffff !== cp > 0xffff) assert.fail(`U+${cp.toString(16)} changes length`);
      if (cp >= 0x80 && folded < 0x80) assert.fail(`U+${cp.toString(16)} folds into ASCII`);
      // foldVariants scans up to U+1FFFF only.
      if (cp > 0x1ffff && folded !== cp) assert.fail(`U+${cp.toString(16)} has a case`);
    }
  });

  it('foldVariants lists exactly the code points that fold alike', () => {
    const byFold = new Map<number, number[]>();
    for (let cp = 0; cp <= 0x1ffff; cp++) {
      if (isSurrogate(cp)) continue;
      const f = foldCodePoint(cp);
      byFold.set(f, [...(byFold.get(f) ?? []), cp]);
    }
    for (const [f, members] of byFold) {
      for (const cp of members) assert.deepEqual(foldVariants(cp), members, `U+${cp.toString(16)} (folds to U+${f.toString(16)})`);
    }
    assert.deepEqual(foldVariants(0x3b8), [0x398, 0x3b8, 0x3f4]); // Θ θ ϴ
  });

  it('hasFoldVariants: whether case can change a comparison with the text', () => {
    assert.equal(hasFoldVariants('abc'), true);
    assert.equal(hasFoldVariants('123 -_'), false);
    assert.equal(hasFoldVariants('é'), true);
    assert.equal(hasFoldVariants('\u0130\u212aς→'), false);
  });
});
