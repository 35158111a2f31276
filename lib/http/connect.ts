import { connect as netConnect, type Socket } from 'node:net';
import { createSecureContext, connect as tlsConnect } from 'node:tls';
import type { buildConnector as BuildConnector } from 'undici';
import { buildConnector } from './undici-client.ts';
import type { HttpOptions } from './http-options.ts';

type Connector = BuildConnector.connector;
type Callback = BuildConnector.Callback;

/**
 * The connector every connection of a run uses, tapped: `onSocket` sees the final (post-TLS) socket.
 * The underlying connector is shared by every connection with the same TLS, proxy and timeout
 * settings, so its TLS session cache is too: a new connection resumes the session of an earlier one
 * (RFC 8446 §2.2) and skips the full handshake — one round trip and the certificate work saved.
 */
export function tappedConnector(options: HttpOptions, onSocket: (socket: Socket) => void): Connector {
  const shared = sharedConnector(options);
  return (connectOptions, callback) =>
    shared(connectOptions, (...args: Parameters<Callback>) => {
      if (args[1]) onSocket(args[1] as Socket);
      (callback as (...a: Parameters<Callback>) => void)(...args);
    });
}

const connectors = new WeakMap<HttpOptions['tls'], Map<string, Connector>>();

function sharedConnector(options: HttpOptions): Connector {
  const byTls = connectors.get(options.tls) ?? new Map<string, Connector>();
  connectors.set(options.tls, byTls);
  const key = `${options.connectTimeoutMs} ${options.proxy ?? ''}`;
  const known = byTls.get(key);
  if (known) return known;
  const made = buildUntappedConnector(options);
  byTls.set(key, made);
  return made;
}

/**
 * Direct (undici's connector, which caches TLS sessions per server name), or through an HTTP proxy's
 * CONNECT tunnel. The tunnel is ours rather than undici's ProxyAgent because the wire tap must sit on
 * the final (post-TLS) socket, which ProxyAgent does not expose. Every step is bounded by the connect timeout.
 */
function buildUntappedConnector(options: HttpOptions): Connector {
  // One secure context for every connection: given as `ca`, the system roots plus --ca-file (~150 PEM
  // certificates) would be parsed again for each handshake.
  const secureContext = options.tls.ca ? createSecureContext({ ca: options.tls.ca }) : undefined;
  const tls = { ...(secureContext ? { secureContext } : {}), rejectUnauthorized: options.tls.rejectUnauthorized };
  if (!options.proxy) return buildConnector({ timeout: options.connectTimeoutMs, ...tls });
  const proxy = new URL(options.proxy);
  const sessions = new Map<string, Buffer>();
  return (connectOptions, callback) => {
    const done = callback as (error: Error | null, socket: Socket | null) => void;
    const target = `${connectOptions.hostname}:${connectOptions.port || (connectOptions.protocol === 'https:' ? 443 : 80)}`;
    const raw = netConnect({ host: proxy.hostname, port: Number(proxy.port || 80) });
    const fail = (error: Error) => {
      clearTimeout(timer);
      raw.destroy();
      done(error, null);
    };
    const timer = setTimeout(
      () =>
        fail(
          Object.assign(new Error(`connect through proxy ${proxy.host} timed out after ${options.connectTimeoutMs} ms`), { code: 'UND_ERR_CONNECT_TIMEOUT' }),
        ),
      options.connectTimeoutMs,
    );
    raw.once('error', fail);
    raw.once('connect', () => {
      const auth = proxy.username
        ? `Proxy-Authorization: Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}\r\n`
        : '';
      raw.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth}\r\n`);
    });
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      raw.off('data', onData);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head.subarray(0, end).toString('latin1'))?.[1];
      if (status !== '200')
        return fail(Object.assign(new Error(`proxy ${proxy.host} refused CONNECT ${target}: ${status ?? 'no HTTP answer'}`), { code: 'ECONNREFUSED' }));
      const rest = head.subarray(end + 4);
      if (rest.length) raw.unshift(rest);
      raw.off('error', fail);
      if (connectOptions.protocol !== 'https:') {
        clearTimeout(timer);
        return done(null, raw);
      }
      const servername = connectOptions.servername ?? connectOptions.hostname;
      const session = sessions.get(target);
      const secure = tlsConnect({ socket: raw, servername, ALPNProtocols: ['http/1.1'], ...(session ? { session } : {}), ...tls });
      secure.on('session', (ticket: Buffer) => sessions.set(target, ticket));
      secure.once('error', fail);
      secure.once('secureConnect', () => {
        clearTimeout(timer);
        secure.off('error', fail);
        done(null, secure);
      });
    };
    raw.on('data', onData);
  };
}
