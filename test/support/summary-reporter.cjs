// Mocha's spec reporter plus one last line "N passed, N failed" (mocha's own counts), also written
// to .test-summary so .ci/run can print it as its final line whatever npm prints after it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const { passes, failures } = runner.stats;
      const line = `${passes} passed, ${failures} failed`;
      // Printed after the spec reporter's epilogue (registered before this listener).
      process.nextTick(() => console.log(line));
      try {
        fs.writeFileSync(path.join(process.cwd(), '.test-summary'), `${line}\n`);
      } catch {
        // A read-only checkout still gets the printed line.
      }
    });
  }
}

module.exports = SummaryReporter;
