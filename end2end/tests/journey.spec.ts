import { expect, test, type Browser, type Page } from "@playwright/test";
import { linkFromMail } from "./outbox";

const password = "correct horse battery";
const newPassword = "a brand new passphrase";

async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.hydrated === "true");
}

async function signIn(browser: Browser, email: string, secret: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/sign-in");
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(secret);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/account$/);
  return page;
}

test("a person signs up, manages sessions and an organization, then resets the password", async ({
  browser,
}) => {
  const email = `ada-${Date.now()}@example.com`;

  // Sign up, sign out, sign in again.
  const first = await (await browser.newContext()).newPage();
  await first.goto("/sign-up");
  await hydrated(first);
  await first.getByLabel("Name").fill("Ada Lovelace");
  await first.getByLabel("Email").fill(email);
  await first.getByLabel("Password").fill(password);
  await first.getByRole("button", { name: "Create account" }).click();
  await expect(first).toHaveURL(/\/account$/);
  await expect(first.getByText(email)).toBeVisible();

  await first.getByRole("button", { name: "Sign out" }).first().click();
  await expect(first).toHaveURL(/\/sign-in/);
  await first.getByLabel("Email").fill(email);
  await first.getByLabel("Password").fill(password);
  await first.getByRole("button", { name: "Sign in" }).click();
  await expect(first).toHaveURL(/\/account$/);

  // A second browser signs in; the first sees two sessions and revokes it.
  const second = await signIn(browser, email, password);
  await first.reload();
  await hydrated(first);
  await expect(first.getByTestId("session-row")).toHaveCount(2);
  const other = first.locator('[data-testid="session-row"]:not([data-current="true"])');
  await other.getByRole("button", { name: "Sign out" }).click();
  await expect(first.getByTestId("session-row")).toHaveCount(1);
  await second.reload();
  await expect(second).toHaveURL(/\/sign-in/);

  // The second browser signs in again, so two sessions are alive.
  const third = await signIn(browser, email, password);

  // An organization.
  await first.goto("/organizations");
  await hydrated(first);
  await first.getByLabel("Organization name").fill("Analytical Engines");
  await first.getByRole("button", { name: "Create organization" }).click();
  const row = first.getByTestId("organization-row").filter({ hasText: "Analytical Engines" });
  await expect(row).toBeVisible();
  await expect(row).toContainText("owner");

  // Forgot password, from a signed-out browser, through the mailed link.
  const anon = await (await browser.newContext()).newPage();
  await anon.goto("/forgot-password");
  await hydrated(anon);
  await anon.getByLabel("Email").fill(email);
  await anon.getByRole("button", { name: "Send reset link" }).click();
  await expect(anon.getByRole("status").or(anon.getByText(/if .*account exists/i)).first()).toBeVisible();
  const base = new URL(anon.url()).origin;
  const link = await linkFromMail(email, `${base}/reset-password?token=`);
  await anon.goto(link);
  await hydrated(anon);
  await anon.getByLabel("New password").fill(newPassword);
  await anon.getByRole("button", { name: "Set new password" }).click();
  await expect(anon).toHaveURL(/\/sign-in/);

  // Both sessions that were alive are dead; the new password works.
  for (const page of [first, third]) {
    await page.goto("/account");
    await expect(page).toHaveURL(/\/sign-in/);
  }
  await signIn(browser, email, newPassword);
});

test("the sign-in and sign-up forms work without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const email = `nojs-${Date.now()}@example.com`;

  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("No Script");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/account$/);

  await context.clearCookies();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("wrong password!");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/sign-in\?.*error=INVALID_CREDENTIALS/);
  await expect(page.getByRole("alert")).toBeVisible();

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/account$/);
});

test("a signed-out visitor of the account page goes to sign-in and comes back", async ({ browser }) => {
  const email = `back-${Date.now()}@example.com`;
  const page = await (await browser.newContext()).newPage();
  await page.goto("/sign-up");
  await hydrated(page);
  await page.getByLabel("Name").fill("Round Trip");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await page.context().clearCookies();

  await page.goto("/organizations");
  await expect(page).toHaveURL(/\/sign-in\?redirectTo=%2Forganizations/);
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/organizations$/);
});
