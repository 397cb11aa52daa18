// The SmartBot page in a real browser: a rule made in the editor (Arabic
// and English keywords), a bad regex refused on its field with PCRE2's
// reason and nothing saved, the test console saying which rule answers a
// text with diacritics and why, a rule made elsewhere appearing live,
// reordering by drag and by the move buttons (the server's order follows),
// an Arabic message with diacritics arriving on the sandbox answered by the
// rule — shown in the live feed, in the rule's hits and in the chat's
// thread — a rule and the bot switched off, a rule deleted after its
// confirmation; Arabic right-to-left and dark, axe-clean.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { api, axe, browser, go, open, settle, shot, signup, waitFor } from "./lib.mjs";

let b;
let page;
let instance;
const NOURA = "+966500000401";

before(async () => {
  b = await browser();
  const ctx = await b.newContext({ viewport: { width: 1366, height: 900 } });
  page = await open(ctx);
  await signup(page, "SmartBot Org");
  const r = await api(page, "POST", "/api/v1/instances", { name: "Shop line", provider: "sandbox" });
  instance = r.body.id;
  await waitFor(async () => (await api(page, "GET", `/api/v1/instances/${instance}/state`)).body.status === "qr");
  await api(page, "POST", `/api/v1/instances/${instance}/sandbox/pair`);
  await waitFor(async () => (await api(page, "GET", `/api/v1/instances/${instance}/state`)).body.status === "ready");
});
after(async () => {
  await b?.close();
});

function clean() {
  assert.deepEqual(page.problems.splice(0), [], "no console error, page error or failed request");
}

const rules = async () => (await api(page, "GET", "/api/v1/smartbot/rules")).body.rules;
const row = (name) => page.getByRole("row").filter({ has: page.getByTestId("rule-name").filter({ hasText: name }) });
const names = async () => page.getByTestId("rule-name").allTextContents();

test("smartbot: no rule yet; a rule made in the editor is saved and listed", async () => {
  await go(page, "/smartbot");
  await page.getByTestId("no-rules").waitFor();
  await page.getByTestId("feed-empty").waitFor();
  assert.deepEqual(await axe(page), [], "axe-clean, empty");
  await page.getByRole("button", { name: "Add rule" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name", { exact: true }).fill("Prices");
  await dialog.locator(".p-dropdown:has(#rule-match)").click();
  await page.getByRole("option", { name: "Whole word" }).click();
  const kw = dialog.getByLabel("Keywords");
  for (const k of ["السعر", "price"]) {
    await kw.fill(k);
    await kw.press("Enter");
  }
  await dialog.getByLabel("Reply 1").fill("Hi {{name}}, our prices: https://acme.test/prices");
  assert.deepEqual(await axe(page), [], "axe-clean, the editor");
  await dialog.getByRole("button", { name: "Save" }).click();
  await dialog.waitFor({ state: "detached" });
  await row("Prices").waitFor();
  const [r] = await rules();
  assert.equal(r.name, "Prices");
  assert.equal(r.match, "word");
  assert.deepEqual(r.keywords, ["السعر", "price"]);
  assert.deepEqual(r.replies, [{ text: "Hi {{name}}, our prices: https://acme.test/prices" }]);
  assert.equal(await row("Prices").getByTestId("rule-hits").textContent(), "0");
  clean();
});

test("smartbot: a bad regex is refused on its field with PCRE2's reason, and nothing is saved", async () => {
  await page.getByRole("button", { name: "Add rule" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name", { exact: true }).fill("Broken");
  await dialog.locator(".p-dropdown:has(#rule-match)").click();
  await page.getByRole("option", { name: "Regular expression" }).click();
  await dialog.getByLabel("Pattern").fill("(hello");
  await dialog.getByLabel("Reply 1").fill("Hello!");
  page.expected.push(/HTTP 422: POST .*\/api\/v1\/smartbot\/rules$/, /console.error: Failed to load resource.*422/);
  await dialog.getByRole("button", { name: "Save" }).click();
  await dialog.locator("#rule-pattern-error").filter({ hasText: "missing closing parenthesis" }).waitFor();
  assert.equal(await dialog.getByLabel("Pattern").getAttribute("aria-invalid"), "true");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "detached" });
  assert.equal((await rules()).length, 1, "nothing saved");
  clean();
});

test("smartbot: the test console says which rule answers a text with diacritics, and why", async () => {
  await page.getByLabel("A message someone could send").fill("كَمْ السِّعْرُ؟");
  await page.getByRole("button", { name: "Test", exact: true }).click();
  const result = page.getByTestId("test-result");
  await result.waitFor();
  assert.equal(await result.getByTestId("test-answer").locator("strong").textContent(), "“Prices” answers");
  assert.doesNotMatch(await result.getByTestId("folded").textContent(), /[\u064B-\u0652]/, "folded: no diacritics");
  const outcome = result.getByTestId("test-rule");
  assert.equal(await outcome.getAttribute("data-outcome"), "answers");
  assert.match(await outcome.textContent(), /matched.*السعر/);
  assert.match(await result.locator(".bubble").textContent(), /our prices/);
  await page.getByLabel("A message someone could send").fill("good morning");
  await page.getByRole("button", { name: "Test", exact: true }).click();
  await result.getByText("No rule answers this message.").waitFor();
  assert.equal(await result.getByTestId("test-rule").getAttribute("data-outcome"), "no_match");
  assert.equal((await rules())[0].hits, 0, "a test counts no hit");
  clean();
});

test("smartbot: a rule made elsewhere appears live; drag and the move buttons reorder, on the server too", async () => {
  const r = await api(page, "POST", "/api/v1/smartbot/rules",
    { name: "Thanks", match: "fallback", replies: [{ text: "Thanks, we will get back to you." }] });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  await row("Thanks").waitFor({ timeout: 10000 });
  assert.deepEqual(await names(), ["Prices", "Thanks"]);
  await row("Thanks").locator(".p-datatable-reorderablerow-handle").dragTo(row("Prices"));
  assert.ok(await waitFor(async () => (await rules()).map((x) => x.name).join() === "Thanks,Prices"), "dragged: the server's order");
  assert.deepEqual(await names(), ["Thanks", "Prices"]);
  await page.getByRole("button", { name: "Move Thanks down" }).click();
  assert.ok(await waitFor(async () => (await rules()).map((x) => x.name).join() === "Prices,Thanks"), "moved: the server's order");
  assert.deepEqual(await names(), ["Prices", "Thanks"]);
  assert.equal(await page.getByRole("button", { name: "Move Prices up" }).isDisabled(), true, "the first cannot go up");
  clean();
});

test("smartbot: an Arabic message with diacritics is answered: the feed, the hits and the chat's thread show it live", async () => {
  const r = await api(page, "POST", `/api/v1/instances/${instance}/sandbox/inbound`,
    { from: NOURA, text: "مرحباً، كَمْ السِّعْرُ؟", name: "Noura" });
  assert.ok(r.status < 300, JSON.stringify(r.body));
  const item = page.getByTestId("feed-item").filter({ hasText: "Noura" });
  await item.waitFor({ timeout: 15000 });
  assert.match(await item.textContent(), /مرحباً، كَمْ السِّعْرُ؟/);
  const reply = item.getByTestId("feed-reply");
  await reply.waitFor({ timeout: 15000 });
  assert.match(await reply.textContent(), /Prices/);
  assert.match(await reply.textContent(), /Hi Noura, our prices/);
  assert.ok(await waitFor(async () => (await row("Prices").getByTestId("rule-hits").textContent()) === "1"), "the hit, live");
  assert.deepEqual(await axe(page), [], "axe-clean, with the feed");
  await shot(page, "smartbot-working");
  await go(page, "/messages");
  await page.getByTestId("chat").filter({ hasText: "Noura" }).click();
  await page.getByTestId("bubble").filter({ hasText: "Hi Noura, our prices" }).waitFor();
  await page.getByTestId("bubble").filter({ hasText: "كَمْ السِّعْرُ" }).waitFor();
  clean();
});

test("smartbot: a rule and the bot are switched off, and back on", async () => {
  await go(page, "/smartbot");
  await row("Prices").waitFor();
  await page.getByLabel("Prices on").click();
  assert.ok(await waitFor(async () => (await rules()).find((x) => x.name === "Prices").enabled === false), "the rule, off");
  await page.getByLabel("Prices on").click();
  assert.ok(await waitFor(async () => (await rules()).find((x) => x.name === "Prices").enabled === true), "the rule, on");
  await page.getByLabel("SmartBot answers").click();
  await page.getByText("SmartBot is off: no rule answers").waitFor();
  assert.equal((await api(page, "GET", "/api/v1/settings")).body.smartbot.enabled, false, "the bot, off");
  await page.getByLabel("SmartBot is off: no rule answers").click();
  await page.getByText("SmartBot answers").waitFor();
  assert.equal((await api(page, "GET", "/api/v1/settings")).body.smartbot.enabled, true, "the bot, on");
  clean();
});

test("smartbot: the editor shows a rule's fields; a change is saved", async () => {
  await page.getByRole("button", { name: "Edit Prices" }).click();
  const dialog = page.getByRole("dialog");
  assert.equal(await dialog.getByLabel("Name", { exact: true }).inputValue(), "Prices");
  await dialog.getByLabel("Only answer during opening hours").click();
  await dialog.getByLabel("Reply outside opening hours (optional)").fill("We open at 9.");
  await dialog.getByRole("button", { name: "Add a variation" }).click();
  await dialog.getByLabel("Reply 2").fill("Prices are on https://acme.test/prices");
  await dialog.getByRole("button", { name: "Save" }).click();
  await dialog.waitFor({ state: "detached" });
  const r = (await rules()).find((x) => x.name === "Prices");
  assert.deepEqual(r.schedule, { days: ["mon", "tue", "wed", "thu", "fri"], from: "09:00", to: "17:00", outOfHoursReply: { text: "We open at 9." } });
  assert.equal(r.replies.length, 2);
  assert.deepEqual(r.keywords, ["السعر", "price"], "the rest kept");
  clean();
});

for (const mode of [{ name: "arabic", prefs: { theme: "light", language: "ar" } },
  { name: "dark", prefs: { theme: "dark", language: "en" } }, { name: "light", prefs: { theme: "light", language: "en" } }]) {
  test(`smartbot, ${mode.name}: the page and its editor render, axe-clean`, async () => {
    await api(page, "PATCH", "/api/v1/settings", { preferences: mode.prefs });
    await go(page, "/smartbot");
    await page.getByTestId("rule-name").first().waitFor();
    if (mode.name === "arabic") assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
    let v = await axe(page);
    assert.deepEqual(v, [], "axe-clean: " + JSON.stringify(v));
    await shot(page, `smartbot-${mode.name}`);
    await page.locator("button:has(.pi-pencil)").first().click();
    await page.getByRole("dialog").waitFor();
    v = await axe(page);
    assert.deepEqual(v, [], "axe-clean, the editor: " + JSON.stringify(v));
    await shot(page, `smartbot-editor-${mode.name}`);
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "detached" });
    clean();
  });
}

test("smartbot: a rule is deleted after its confirmation", async () => {
  await settle(page);
  await page.getByRole("button", { name: "Delete Thanks" }).click();
  await page.locator(".p-confirm-dialog").getByRole("button", { name: "Delete" }).click();
  await row("Thanks").waitFor({ state: "detached" });
  assert.deepEqual((await rules()).map((x) => x.name), ["Prices"]);
  clean();
});
