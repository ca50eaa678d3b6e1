// The page's state in the URL fragment, compressed (deflate-raw, base64url): a fragment is never
// sent to a server, so a shared link carries a private rule only to whoever opens it.
const prefix = '#z=';

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export async function encodeState(state: unknown): Promise<string> {
  return prefix + toBase64Url(await pipe(new TextEncoder().encode(JSON.stringify(state)), new CompressionStream('deflate-raw')));
}

/** The state a fragment holds; undefined when it holds none; throws when it is damaged. */
export async function decodeState(hash: string): Promise<unknown> {
  if (!hash.startsWith(prefix)) return undefined;
  return JSON.parse(new TextDecoder().decode(await pipe(fromBase64Url(hash.slice(prefix.length)), new DecompressionStream('deflate-raw'))));
}
