// The self-contained suite reads the seed document from its copy in the project (the input of the
// import golden case `seed`); this keeps the copy true to ../shared/seed.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { seedDocument } from '../support/paths.js';
import { shared } from '../support/shared.js';

describe('the seed document', () => {
  it("the project's copy is ../shared/seed/detect-nbtscan-activity.txt", () => {
    assert.equal(readFileSync(seedDocument, 'utf8'), readFileSync(shared('seed', 'detect-nbtscan-activity.txt'), 'utf8'));
  });
});
