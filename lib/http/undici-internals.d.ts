// The undici files lib/http/undici-client.ts loads instead of undici's index (types: undici's own).
declare module 'undici/lib/dispatcher/client.js' {
  const Client: unknown;
  export default Client;
}
declare module 'undici/lib/dispatcher/dispatcher.js' {
  const Dispatcher: unknown;
  export default Dispatcher;
}
declare module 'undici/lib/api/api-request.js' {
  const request: unknown;
  export default request;
}
declare module 'undici/lib/core/connect.js' {
  const buildConnector: unknown;
  export default buildConnector;
}
