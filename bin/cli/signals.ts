/**
 * SIGTERM/SIGINT handling, installed before anything else so a signal during startup is never
 * lost to the default action. The first signal asks for a clean stop; a second one exits at once.
 */
export function stopSignals(onForced: (signal: NodeJS.Signals) => void): { requested: Promise<NodeJS.Signals> } {
  let received: NodeJS.Signals | undefined;
  let resolve!: (signal: NodeJS.Signals) => void;
  const requested = new Promise<NodeJS.Signals>((r) => (resolve = r));
  const handler = (signal: NodeJS.Signals): void => {
    if (received !== undefined) {
      onForced(signal);
      return;
    }
    received = signal;
    resolve(signal);
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return { requested };
}
