import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { buildConnector } from 'undici';
import type { HttpOptions } from './http-options.ts';

type Connector = buildConnector.connector;
type Callback = buildConnector.Callback;

/**
 * The connector every exchange uses: direct, or through an HTTP proxy's CONNECT tunnel. The tunnel is
 * ours rather than undici's ProxyAgent because the wire tap must sit on the final (post-TLS) socket,
 * which ProxyAgent does not expose. Every step is bounded by the connect timeout.
 */
export function buildTappedConnector(options: HttpOptions, onSocket: (socket: Socket) => void): Connector {
  const tls = { ca: options.tls.ca, rejectUnauthorized: options.tls.rejectUnauthorized };
  if (!options.proxy) {
    const direct = buildConnector({ timeout: options.connectTimeoutMs, ...tls });
    return (connectOptions, callback) =>
      direct(connectOptions, (...args: Parameters<Callback>) => {
        if (args[1]) onSocket(args[1] as Socket);
        (callback as (...a: Parameters<Callback>) => void)(...args);
      });
  }
  const proxy = new URL(options.proxy);
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
        onSocket(raw);
        return done(null, raw);
      }
      const secure = tlsConnect({ socket: raw, servername: connectOptions.servername ?? connectOptions.hostname, ALPNProtocols: ['http/1.1'], ...tls });
      secure.once('error', fail);
      secure.once('secureConnect', () => {
        clearTimeout(timer);
        secure.off('error', fail);
        onSocket(secure);
        done(null, secure);
      });
    };
    raw.on('data', onData);
  };
}
