/**
 * `setUp` (a folder, a table, an index the store needs before its first call), run by the first
 * caller and shared by every caller while it is pending or done. A failure is not kept: the
 * backend may be down at start-up and back a moment later, so the next call tries again.
 */
export function once(setUp: () => Promise<unknown>): () => Promise<void> {
  let ready: Promise<void> | undefined;
  return () =>
    (ready ??= setUp().then(
      () => undefined,
      (error: unknown) => {
        ready = undefined;
        throw error;
      },
    ));
}
