/**
 * undici's Client and connector, without the rest of undici: its index also loads fetch, WebSocket,
 * cookies, caches, mocks and — through the web globals they touch — Node's own copy of undici, which is
 * a tenth of a run's start-up on loopback (issue 17) for code this tool never calls. The build bundles
 * these files from the locked version (scripts/build.mjs), so an installed copy does not depend on
 * undici's file layout; `request()` is what undici's index puts on every dispatcher, and is put here.
 */
import type { buildConnector as BuildConnector, Client as UndiciClient } from 'undici';
import requestMethod from 'undici/lib/api/api-request.js';
import ClientClass from 'undici/lib/dispatcher/client.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import connector from 'undici/lib/core/connect.js';

(Dispatcher as { prototype: Record<string, unknown> }).prototype.request ??= requestMethod;

export const Client = ClientClass as typeof UndiciClient;
export type Client = UndiciClient;
export const buildConnector = connector as typeof BuildConnector;
