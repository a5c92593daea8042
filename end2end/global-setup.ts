// Waits until the server answers, since nothing else does: the server is
// started in the background by scripts/test.sh.
export default async function globalSetup(): Promise<void> {
  const url = (process.env.LATCHKEY_URL ?? "http://127.0.0.1:3100") + "/api/auth/capabilities";
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server did not answer at ${url} within 60 s`);
}
