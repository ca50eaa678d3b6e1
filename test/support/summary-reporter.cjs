// Mocha's spec reporter plus one last line "N passed, N failed" (mocha's own counts), also written
// to a file (.test-summary; the corpus suite writes .test-summary-corpus with the reporter option
// summary=<file>) so .ci/run can add up both suites whatever npm prints after them.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const file = (options && options.reporterOptions && options.reporterOptions.summary) || '.test-summary';
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const { passes, failures } = runner.stats;
      const line = `${passes} passed, ${failures} failed`;
      // Printed after the spec reporter's epilogue (registered before this listener).
      process.nextTick(() => console.log(line));
      try {
        fs.writeFileSync(path.resolve(process.cwd(), file), `${line}\n`);
      } catch {
        // A read-only checkout still gets the printed line.
      }
    });
  }
}

module.exports = SummaryReporter;
