// The dashboard in a real browser against the whole stack: a newcomer's
// path from sign-up to log-out, then every route of the dashboard's first
// part in light, dark and Arabic with axe-core and screenshots. Each step
// ends with no console error, page error or failed request on its page.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { api, axe, browser, CODES, DEMO, go, login, open, png, SHOTS, shot, URL, waitFor } from "./lib.mjs";

let b;
let ctx;
let page;
const run = Date.now();
const owner = { email: `owner-${run}@e2e.test`, password: "first password 1", name: "Olivia Owner" };

before(async () => {
  b = await browser();
  ctx = await b.newContext({ viewport: { width: 1366, height: 900 }, locale: "en-GB" });
  await ctx.grantPermissions(["clipboard-read", "clipboard-write"], { origin: URL });
  page = await open(ctx);
});
after(async () => {
  await b?.close();
});

function clean(p = page) {
  const problems = p.problems.splice(0);
  assert.deepEqual(problems, [], "no console error, page error or failed request");
}

test("newcomer: signs up and lands on the dashboard", async () => {
  await go(page, "/auth/signup");
  await page.getByLabel("Organisation").fill("E2E Org");
  await page.getByLabel("Your name").fill(owner.name);
  await page.getByLabel("E-mail").fill(owner.email);
  await page.locator("#password").fill(owner.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(URL + "/dashboard");
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();
  assert.ok(await waitFor(async () => (await page.getByTestId("instance-count").textContent()) === "0"),
    "no instance yet");
  await waitFor(async () => (await page.getByTestId("ws-status").getAttribute("data-state")) === "online");
  clean();
});

test("newcomer: the demo tenant's dashboard shows its instance", async () => {
  const other = await b.newContext({ viewport: { width: 1366, height: 900 } });
  const p = await open(other);
  await login(p, DEMO.email, DEMO.password);
  await waitFor(async () => (await p.getByTestId("instance-count").textContent()) === "1");
  assert.equal(await p.getByTestId("instance-count").textContent(), "1");
  assert.match(await p.locator(".layout-main").textContent(), /Demo sandbox/);
  clean(p);
  await other.close();
});

test("newcomer: uploads an avatar and sees it in the topbar", async () => {
  await page.getByRole("link", { name: "Profile" }).click();
  await page.getByRole("heading", { name: "Profile" }).waitFor();
  const topbar = page.locator(".layout-topbar [data-testid=profile-button] img");
  assert.equal(await topbar.count(), 0, "a letter, no picture yet");
  await page.locator(".p-fileupload input[type=file]").setInputFiles({ name: "me.png", mimeType: "image/png",
    buffer: await png(page) });
  await page.getByTestId("avatar-preview").waitFor();
  await page.getByTestId("avatar-upload").click();
  await topbar.waitFor();
  assert.match(await topbar.getAttribute("src"), /^\/api\/v1\/avatars\/[0-9a-f-]{36}\?v=\d+$/);
  assert.ok(await topbar.evaluate((img) => img.complete && img.naturalWidth === 64), "the image loads");
  // a file that is no image is refused before anything is sent
  await page.locator(".p-fileupload input[type=file]").setInputFiles({ name: "x.txt", mimeType: "text/plain",
    buffer: Buffer.from("not an image") });
  await page.getByText("not a PNG, JPEG, GIF or WebP").waitFor();
  clean();
});

test("newcomer: changes the password, logs out, and logs in with the new one", async () => {
  await page.locator("#p-current").fill(owner.password);
  owner.password = "second password 2";
  await page.locator("#p-new").fill(owner.password);
  await page.locator("#p-new").press("Tab"); // closes the strength meter
  await page.getByRole("button", { name: "Change password" }).click();
  await page.getByText("Password changed").waitFor();
  await page.getByTestId("profile-button").click();
  await page.getByRole("menuitem", { name: "Log out" }).click();
  await page.waitForURL(URL + "/auth/login");
  page.expected.push(/HTTP 401: POST .*\/auth\/login/, /console.error: Failed to load resource.*401/);
  await page.fill("#email", owner.email);
  await page.fill("#password", "first password 1");
  await page.click("button[type=submit]");
  await page.getByRole("alert").waitFor();
  assert.equal(page.url(), URL + "/auth/login", "the old password no longer works");
  await page.fill("#password", owner.password);
  await page.click("button[type=submit]");
  await page.waitForURL(URL + "/dashboard");
  clean();
});

test("newcomer: creates an API key and sees it once", async () => {
  await go(page, "/settings?tab=keys");
  await page.getByLabel("Name", { exact: true }).fill("ci key");
  await page.getByRole("button", { name: "Create key" }).click();
  const box = page.getByTestId("new-key");
  await box.waitFor();
  const key = (await box.textContent()).trim();
  assert.match(key, /^wq_[0-9a-f]{12}_[0-9a-f]{64}$/);
  await page.getByTestId("copy-key").click();
  await page.getByRole("button", { name: "Copied" }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), key);
  await page.getByRole("button", { name: "Done" }).click();
  await page.getByRole("cell", { name: "ci key", exact: true }).waitFor();
  assert.ok(!(await page.content()).includes(key), "the secret is gone from the page");
  await go(page, "/settings?tab=keys");
  await page.getByRole("cell", { name: "ci key", exact: true }).waitFor();
  assert.ok(!(await page.content()).includes(key.slice(16)), "and never shown again");
  const me = await api(page, "GET", "/api/v1/me");
  assert.equal(me.status, 200);
  clean();
});

test("newcomer: invites a member, who joins with the link", async () => {
  await page.getByRole("tab", { name: "Members" }).click();
  await page.getByLabel("E-mail").fill(`member-${run}@e2e.test`);
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  const link = (await page.getByTestId("invite-link").textContent()).trim();
  assert.match(link, new RegExp(`^${URL}/accept-invite\\?token=[0-9a-f]{64}$`));
  await page.getByRole("button", { name: "Done" }).click();
  await page.getByRole("cell", { name: `member-${run}@e2e.test`, exact: true }).waitFor();
  const other = await b.newContext();
  const p = await open(other);
  await go(p, link.slice(URL.length));
  await p.getByLabel("Your name").fill("Max Member");
  await p.locator("#password").fill("member password 1");
  await p.getByRole("button", { name: "Join" }).click();
  await Promise.race([p.waitForURL(URL + "/dashboard"), p.getByRole("alert").waitFor().then(async () => {
    throw new Error("refused: " + (await p.getByRole("alert").textContent()) + " " + p.problems.join("; "));
  })]);
  await go(p, "/settings");
  assert.equal(await p.getByRole("tab", { name: "API keys" }).count(), 0, "members manage no keys");
  clean(p);
  await other.close();
  await go(page, "/settings?tab=members");
  await page.getByRole("cell", { name: "Max Member", exact: true }).waitFor();
  clean();
});

test("newcomer: brands the organisation: a logo upload and the logo text's switch reach the topbar", async () => {
  await go(page, "/settings?tab=branding");
  await page.locator(".p-fileupload input[type=file]").setInputFiles({ name: "logo.png", mimeType: "image/png",
    buffer: await png(page, "#f59e0b") });
  const logo = page.locator(".layout-topbar-logo img");
  await waitFor(async () => /^\/api\/v1\/settings\/logo\?v=\d+$/.test(await logo.getAttribute("src")));
  assert.match(await logo.getAttribute("src"), /^\/api\/v1\/settings\/logo\?v=\d+$/);
  assert.ok(await waitFor(() => logo.evaluate((img) => img.complete && img.naturalWidth === 64)), "the logo loads");
  assert.equal(await page.locator(".layout-topbar-logo span").textContent(), "WaQtor");
  await page.getByLabel("Show the text beside the logo").click();
  await page.locator(".layout-topbar-logo span").waitFor({ state: "detached" });
  await page.getByLabel("Show the text beside the logo").click();
  await page.locator(".layout-topbar-logo span").waitFor();
  clean();
});

test("newcomer: switches to dark and to Arabic: right-to-left, and nothing overflows", async () => {
  await page.getByTestId("profile-button").click();
  await page.getByRole("menuitem", { name: "Layout" }).click();
  await page.getByLabel("Dark").check();
  await waitFor(async () => (await page.evaluate(() => document.documentElement.dataset.theme)) === "dark");
  assert.equal(await page.locator("#theme-link").getAttribute("href"), "/themes/dark.css");
  await page.getByLabel("العربية").check();
  await waitFor(async () => (await page.evaluate(() => document.documentElement.dir)) === "rtl");
  await page.keyboard.press("Escape");
  for (const route of ["/dashboard", "/settings", "/profile", "/notifications", "/about"]) {
    await go(page, route);
    assert.equal(await page.evaluate(() => document.documentElement.lang), "ar");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${route}: no horizontal overflow (${overflow} px)`);
  }
  const settings = await api(page, "GET", "/api/v1/settings");
  assert.deepEqual([settings.body.preferences.theme, settings.body.preferences.language], ["dark", "ar"],
    "saved on the server");
  await api(page, "PATCH", "/api/v1/settings", { preferences: { theme: "light", language: "en" } });
  await go(page, "/dashboard");
  assert.equal(await page.evaluate(() => document.documentElement.dir), "ltr");
  clean();
});

test("newcomer: receives a notification live and marks it read", async () => {
  const inst = await api(page, "POST", "/api/v1/instances", { name: "e2e phone", provider: "sandbox" });
  assert.equal(inst.status, 201);
  await api(page, "POST", `/api/v1/instances/${inst.body.id}/sandbox/pair`, {});
  assert.ok(await waitFor(async () => (await api(page, "GET", `/api/v1/instances/${inst.body.id}`)).body.status === "ready"));
  assert.equal(await page.getByTestId("bell-count").count(), 0);
  await api(page, "POST", `/api/v1/instances/${inst.body.id}/sandbox/unlink`, {});
  await page.getByTestId("bell-count").waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId("bell-count").textContent(), "1");
  await page.getByTestId("bell").click();
  const item = page.locator(".notif-panel .notif-item.unread");
  await item.waitFor();
  assert.match(await item.textContent(), /minute|second|now/);
  await item.getByRole("button", { name: "Mark as read" }).click();
  await page.getByTestId("bell-count").waitFor({ state: "detached" });
  const n = await api(page, "GET", "/api/v1/notifications/count");
  assert.equal(n.body.unread, 0, "read on the server");
  await page.keyboard.press("Escape");
  clean();
});

test("newcomer: hits the premium gate and unlocks it with an operator's code", async () => {
  await page.getByRole("link", { name: "Campaigns" }).click();
  await page.getByTestId("premium-gate").waitFor();
  page.expected.push(/HTTP 402/, /console.error: Failed to load resource.*402/);
  assert.equal((await api(page, "GET", "/api/v1/reports/summary")).status, 402, "the server refuses premium reads");
  await page.getByTestId("premium-unlock").click();
  const first = page.locator(".otp-code input").first();
  await first.focus();
  await page.evaluate((code) => {
    const dt = new DataTransfer();
    dt.setData("text", code);
    document.activeElement.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true }));
  }, CODES[1]);
  await page.getByTestId("otp-verify").click();
  await page.getByTestId("premium-gate").waitFor({ state: "detached" });
  await page.getByTestId("no-campaigns").waitFor();
  await go(page, "/settings?tab=subscription");
  assert.match(await page.getByTestId("subscription").textContent(), /Pro.*Active/);
  clean();
});

test("newcomer: logs out; a page that needs a session goes to the login and back", async () => {
  await page.getByTestId("profile-button").click();
  await page.getByRole("menuitem", { name: "Log out" }).click();
  await page.waitForURL(URL + "/auth/login");
  page.expected.push(/HTTP 401: GET .*\/api\/v1\/me/, /console.error: Failed to load resource.*401/);
  await go(page, "/settings?tab=members");
  await page.waitForURL(URL + "/auth/login?returnTo=%2Fsettings%3Ftab%3Dmembers");
  await page.fill("#email", owner.email);
  await page.fill("#password", owner.password);
  await page.click("button[type=submit]");
  await page.waitForURL(URL + "/settings?tab=members");
  clean();
});

const FULL = ["/auth/login", "/auth/signup", "/auth/access", "/auth/error", "/landing", "/pages/notfound",
  "/no/such/page", "/accept-invite?token=" + "0".repeat(64)];
const INSIDE = ["/dashboard", "/instances", "/messages", "/smartbot", "/events", "/settings/webhooks", "/profile", "/about", "/settings", "/settings?tab=keys", "/settings?tab=members",
  "/settings?tab=branding", "/settings?tab=subscription", "/notifications", "/campaigns", "/campaigns/new", "/contacts", "/contacts/lists", "/contacts/opt-outs", "/reports", "/interactive",
  ...["button", "charts", "file", "formlayout", "input", "message", "table", "badge", "tag", "chip", "avatar"]
    .map((p) => "/uikit/" + p)];
const MODES = [
  { name: "light", prefs: { theme: "light", language: "en" } },
  { name: "dark", prefs: { theme: "dark", language: "en" } },
  { name: "arabic", prefs: { theme: "light", language: "ar" } },
];

for (const mode of MODES) {
  test(`every route, ${mode.name}: each page renders, is axe-clean and has a screenshot`, async () => {
    const c = await b.newContext({ viewport: { width: 1366, height: 900 }, colorScheme: mode.name === "dark" ? "dark" : "light" });
    const p = await open(c);
    const failures = [];
    const sweep = async (route) => {
      await go(p, route);
      await p.locator("h1").first().waitFor();
      if (route === "/no/such/page")
        await p.getByRole("heading", { name: mode.name === "arabic" ? "الصفحة غير موجودة" : "Page not found" }).waitFor();
      const v = await axe(p);
      if (v.length) failures.push({ route, violations: v });
      await shot(p, `${mode.name}${route.replace(/[/?=&]+/g, "_").replace(/_0+$/, "")}`);
    };
    // signed in first: the full pages start in the preferences of the last visit
    await login(p, owner.email, owner.password);
    await api(p, "PATCH", "/api/v1/settings", { preferences: mode.prefs });
    for (const route of [...INSIDE, ...FULL]) await sweep(route);
    await api(p, "PATCH", "/api/v1/settings", { preferences: { theme: "light", language: "en" } });
    fs.writeFileSync(path.join(SHOTS, `axe-${mode.name}.json`), JSON.stringify(failures, null, 1));
    assert.deepEqual(failures.map((f) => `${f.route}: ${f.violations.map((v) => v.id).join(", ")}`), [],
      `no serious or critical axe violation (details in ${SHOTS}/axe-${mode.name}.json)`);
    clean(p);
    await c.close();
  });
}
