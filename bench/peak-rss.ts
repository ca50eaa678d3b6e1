// Preloaded (node --import) into every process the bench times: at exit, the process's peak
// resident memory goes to file descriptor 3, a pipe the bench reads. Node gives a parent no
// child's rusage, and /usr/bin/time is not on every machine.
import { writeSync } from 'node:fs';

process.once('exit', () => {
  try {
    writeSync(3, `${process.resourceUsage().maxRSS}\n`);
  } catch {
    // Not run by the bench (no fd 3): nothing to report.
  }
});
