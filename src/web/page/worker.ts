// The page's worker: converts off the main thread, so typing never waits for it. Each request
// gets its conversion at once; its analysis and matching follow a moment later, unless a newer
// request comes first (the page sends the next edit as soon as a conversion returns, so while
// the user types, the worker converts and analyses only once typing pauses).
import { PageSession, registry } from '../engine/session.js';
import type { WorkReply, WorkRequest } from '../engine/protocol.js';

// The DOM library types `self` as a window; in a worker it is the worker's scope.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkRequest>) => void) | null;
  postMessage(reply: WorkReply): void;
};

let later: ReturnType<typeof setTimeout> | undefined;

/** How long the analysis waits for a newer edit: longer than a conversion's round trip to the
 *  page and back, shorter than a pause in typing. */
const analysisDelay = 40;

function failure(seq: number, err: unknown): WorkReply {
  // An internal error, not the user's: one line, as the CLI prints it.
  return { kind: 'failure', seq, message: err instanceof Error ? err.message : String(err) };
}

scope.onmessage = ({ data: { seq, input } }) => {
  clearTimeout(later);
  let session: PageSession;
  try {
    const start = performance.now();
    session = new PageSession(input);
    const view = session.convert();
    scope.postMessage({ kind: 'conversion', seq, view, ms: performance.now() - start });
  } catch (err) {
    scope.postMessage(failure(seq, err));
    return;
  }
  later = setTimeout(() => {
    try {
      const start = performance.now();
      const analysis = session.analyse();
      const match = session.match();
      scope.postMessage({ kind: 'analysis', seq, analysis, match, ms: performance.now() - start });
    } catch (err) {
      scope.postMessage(failure(seq, err));
    }
  }, analysisDelay);
};

scope.postMessage({ kind: 'registry', registry: registry() });
