// The interactive page in a real browser: reply buttons composed with the
// preview following as they are typed, a title over WhatsApp's limit
// refused on its field before anything is sent, a duplicate id named, the
// message sent from a sandbox instance as the Cloud API object and its
// status moving live to read; a list with two sections whose sheet opens in
// the preview, sent with every row; the plan's gate before it is unlocked;
// Arabic right-to-left and dark, axe-clean.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CODES, api, axe, browser, go, open, readySandbox, shot, signup, waitFor } from "./lib.mjs";

let b;
let page;
let instance;

before(async () => {
  b = await browser();
  const ctx = await b.newContext({ viewport: { width: 1366, height: 900 } });
  page = await open(ctx);
  await signup(page, "Interactive Org");
  instance = await readySandbox(page, "Shop line");
});
after(async () => {
  await b?.close();
});

function clean() {
  assert.deepEqual(page.problems.splice(0), [], "no console error, page error or failed request");
}
const lastSent = async () => (await api(page, "GET", "/api/v1/messages?limit=5")).body.messages.filter((m) => m.direction === "out");

test("interactive: behind the plan's gate until an access code is redeemed", async () => {
  await go(page, "/interactive");
  await page.getByTestId("premium-gate").waitFor();
  assert.equal(await page.getByTestId("preview").count(), 0);
  assert.equal((await api(page, "POST", "/api/v1/subscription/redeem", { code: CODES[4] })).status, 200);
  await go(page, "/interactive");
  await page.getByTestId("preview").waitFor();
  assert.deepEqual(await axe(page), [], "axe-clean");
  clean();
});

test("interactive: buttons follow in the preview; a title too long and a duplicate id are refused on their fields, nothing sent", async () => {
  await page.getByLabel("Header").fill("Order #1042");
  await page.getByLabel("Body").fill("Is your order still wanted?");
  await page.getByLabel("Footer").fill("Acme shop");
  const preview = page.getByTestId("preview");
  await preview.getByText("Is your order still wanted?").waitFor();
  await preview.getByText("Order #1042").waitFor();
  assert.deepEqual((await preview.getByTestId("preview-button").allTextContents()).map((s) => s.trim()), ["Yes", "No"]);
  await page.getByRole("button", { name: "Add a button" }).click();
  assert.equal(await page.getByRole("button", { name: "Add a button" }).isDisabled(), true, "three at most");
  await page.getByLabel("Button 3", { exact: true }).fill("Call me back about this please");
  await page.getByText("At most 20 characters").waitFor();
  await page.getByLabel("ID of button 3").fill("yes");
  await page.getByLabel("To (phone number)").fill("+966500000601");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.getByText("Already used above").waitFor();
  assert.equal(await page.getByLabel("Button 3", { exact: true }).getAttribute("aria-invalid"), "true");
  assert.equal((await lastSent()).length, 0, "nothing sent");
  clean();
});

test("interactive: the buttons are sent as the Cloud API object, and the status reaches read live", async () => {
  await page.getByLabel("Button 3", { exact: true }).fill("Call me");
  await page.getByLabel("ID of button 3").fill("call");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  const row = page.getByTestId("sent").first();
  await row.waitFor();
  await row.locator("[data-status=read]").waitFor({ timeout: 20000 });
  const [m] = await lastSent();
  assert.equal(m.type, "interactive");
  assert.equal(m.chatId, "966500000601@c.us");
  assert.deepEqual(m.content, {
    type: "button", header: { type: "text", text: "Order #1042" }, body: { text: "Is your order still wanted?" },
    footer: { text: "Acme shop" },
    action: { buttons: [["yes", "Yes"], ["no", "No"], ["call", "Call me"]].map(([id, title]) => ({ type: "reply", reply: { id, title } })) },
  });
  clean();
});

test("interactive: a list with two sections opens its sheet in the preview and is sent with every row", async () => {
  await page.getByRole("button", { name: "List", exact: true }).click();
  await page.getByLabel("Header").fill("");
  await page.getByLabel("Footer").fill("");
  await page.getByLabel("Body").fill("اختر من القائمة 🍵");
  await page.getByLabel("List button").fill("القائمة");
  const s0 = page.getByTestId("section-0");
  await s0.getByLabel("Row 1", { exact: true }).fill("شاي");
  await s0.getByLabel("Description").fill("بالنعناع");
  await page.getByRole("button", { name: "Add a section" }).click();
  const s1 = page.getByTestId("section-1");
  await s1.getByLabel("Row 1", { exact: true }).fill("Juice");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  // two sections: each needs a title
  assert.equal(await s0.getByLabel("Section title").getAttribute("aria-invalid"), "true");
  await s0.getByLabel("Section title").fill("مشروبات ساخنة");
  await s1.getByLabel("Section title").fill("Cold");
  const preview = page.getByTestId("preview");
  await preview.getByTestId("preview-list-button").click();
  const sheet = preview.getByTestId("preview-sheet");
  for (const text of ["مشروبات ساخنة", "شاي", "بالنعناع", "Cold", "Juice"]) await sheet.getByText(text, { exact: true }).waitFor();
  assert.deepEqual(await axe(page), [], "axe-clean, a list with its sheet open");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  assert.ok(await waitFor(async () => (await lastSent()).length === 2), "sent");
  const [m] = await lastSent();
  assert.deepEqual(m.content, {
    type: "list", body: { text: "اختر من القائمة 🍵" },
    action: { button: "القائمة", sections: [
      { title: "مشروبات ساخنة", rows: [{ id: "row-1", title: "شاي", description: "بالنعناع" }] },
      { title: "Cold", rows: [{ id: "row-2", title: "Juice" }] },
    ] },
  });
  await page.getByTestId("sent").first().locator("[data-status=read]").waitFor({ timeout: 20000 });
  await shot(page, "interactive-light");
  clean();
});

for (const mode of [{ name: "arabic", prefs: { theme: "light", language: "ar" } },
  { name: "dark", prefs: { theme: "dark", language: "en" } }]) {
  test(`interactive, ${mode.name}: renders, axe-clean`, async () => {
    await api(page, "PATCH", "/api/v1/settings", { preferences: mode.prefs });
    await go(page, "/interactive");
    await page.getByTestId("preview").waitFor();
    await page.locator("#ia-body").fill(mode.name === "arabic" ? "هل ما زلت تريد طلبك؟" : "Still want your order?");
    if (mode.name === "arabic") assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
    assert.deepEqual(await axe(page), [], "axe-clean");
    await shot(page, `interactive-${mode.name}`);
    clean();
  });
}
