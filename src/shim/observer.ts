/** How the shim reports each call (the exporter plugs its metrics in here; the shim knows no prom-client). */
export interface CallObserver {
  onCall(method: string, code: string, seconds: number): void;
}

export const noopObserver: CallObserver = { onCall() {} };
