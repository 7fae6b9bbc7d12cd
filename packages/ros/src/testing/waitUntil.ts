/**
 * Re-checks a condition every `intervalMs` until it holds; rejects naming `what` after
 * `timeoutMs`. For states that have no event to await (matched counts, topic lists).
 */
export async function waitUntil(
  condition: () => boolean,
  what: string,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 5;
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
