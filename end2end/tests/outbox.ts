import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** Undoes quoted-printable: soft line breaks and `=XX` escapes. */
function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * Waits for a mail to `to` in the dev outbox (one .eml file per mail) and
 * returns the first link in it that starts with `prefix`.
 */
export async function linkFromMail(to: string, prefix: string, timeoutMs = 15_000): Promise<string> {
  const dir = process.env.MAIL_OUTBOX;
  if (!dir) throw new Error("MAIL_OUTBOX is not set");
  const deadline = Date.now() + timeoutMs;
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(escaped + "[A-Za-z0-9_\\-=&%.]+");
  while (Date.now() < deadline) {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith(".eml"))
      .map((f) => join(dir, f))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    for (const file of files) {
      const mail = decodeQuotedPrintable(readFileSync(file, "utf8"));
      if (!mail.toLowerCase().includes(`to: ${to}`)) continue;
      const match = mail.match(pattern);
      if (match) return match[0];
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail to ${to} with a link ${prefix}… within ${timeoutMs} ms`);
}
