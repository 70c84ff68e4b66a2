/** One JSON-RPC call over plain HTTP POST to a chain's WebSocket URL (the dev chain answers both). */
export function httpRpc(wsUrl: string) {
  return async <T = unknown>(method: string, params: unknown[]): Promise<T> => {
    const res = await fetch(wsUrl.replace(/^ws/, 'http'), {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: 1, jsonrpc: '2.0', method, params }),
    });
    const body = (await res.json()) as { result?: T; error?: unknown };
    if (body.error !== undefined) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
    return body.result as T;
  };
}
