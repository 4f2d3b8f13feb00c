/**
 * Waits until the process is asked to stop (Ctrl-C or SIGTERM), for the commands that serve until
 * then (`mock`, `playground`); the handlers are removed again so a later stop is not swallowed.
 *
 * @example
 * ```ts
 * await untilStopped();
 * await server.close();
 * ```
 */
export function untilStopped(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
