// `npm run web`: serves the built page (dist/web/) on this machine only, with the headers of
// dist/web/_headers (the Content-Security-Policy among them). A plain static server: any other
// one serves the same files.
//
//   node src/web/serve.mjs [--port <n>] [--dir <folder>]     (--port 0: any free port)
//
// Prints "rulecast web page: http://127.0.0.1:<port>/" once it listens.
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { port: { type: 'string', default: '8080' }, dir: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' } } });
const root = resolve(values.dir ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'web'));
if (!existsSync(join(root, 'index.html'))) {
  console.error(`no page in ${root}: run npm run build:web first`);
  process.exit(2);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port needs a port number (0: any free one), not '${values.port}'`);
  process.exit(2);
}

/** The `/*` block of a _headers file: header name → value. */
function readHeaders(file) {
  const headers = {};
  if (!existsSync(file)) return headers;
  let inAll = false;
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    if (/^\S/.test(line)) inAll = line.trim() === '/*';
    else if (inAll) {
      const m = /^\s+([^:]+):\s*(.*)$/.exec(line);
      if (m) headers[m[1].trim()] = m[2].trim();
    }
  }
  return headers;
}

const headers = readHeaders(join(root, '_headers'));
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const server = createServer((req, res) => {
  const send = (status, body, type = 'text/plain; charset=utf-8') => {
    res.writeHead(status, { ...headers, 'Content-Type': type, 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
  let path;
  try {
    path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  } catch {
    return send(400, 'bad request\n');
  }
  if (path.endsWith('/')) path += 'index.html';
  // Only files inside the page's folder, never _headers itself.
  const file = normalize(join(root, path));
  if (!file.startsWith(root + sep) || path.split('/').some((part) => part.startsWith('.') || part === '_headers')) return send(404, 'not found\n');
  const type = types[extname(file)];
  if (!type || !existsSync(file) || !statSync(file).isFile()) return send(404, 'not found\n');
  send(200, readFileSync(file), type);
});

server.listen(port, values.host, () => {
  const address = server.address();
  console.log(`rulecast web page: http://${values.host}:${address.port}/`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
