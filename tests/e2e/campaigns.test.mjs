// The campaign pages in a real browser, on a paid plan: a CSV with one bad
// row is refused with its line and imports nothing; mapping the columns
// right imports it; the message step's preview is rendered by the server
// with each recipient's variable, and names a variable nobody has; the
// campaign made by the wizard runs, its bar reaches 100 % and its funnel
// fills live; a second one is paused and resumed from the list; the
// recipients table filters and exports; a campaign is duplicated and the
// copy cancelled after its confirmation; Arabic right-to-left and dark,
// axe-clean.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { api, axe, browser, CODES, go, open, pick, settle, shot, signup, waitFor } from "./lib.mjs";

let b;
let page;
let instance;

before(async () => {
  b = await browser();
  const ctx = await b.newContext({ viewport: { width: 1366, height: 900 } });
  page = await open(ctx);
  await signup(page, "Campaign Org");
  assert.equal((await api(page, "POST", "/api/v1/subscription/redeem", { code: CODES[3] })).status, 200);
  const r = await api(page, "POST", "/api/v1/instances", { name: "Sales line", provider: "sandbox" });
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

// the file's phone column is "mobile number", which the API does not know by
// itself; its third row's number is too short
const CSV = "customer,mobile number,code\nAmal,+966500000501,A10\nBader,+966500000502,B20\nCyrine,12,C30\n";
const FIXED = CSV.replace("12,C30", "+966500000503,C30");

const choose = (label, option) => pick(page, label, option);

async function upload(text) {
  await page.locator("#cw-csv-file").setInputFiles({ name: "customers.csv", mimeType: "text/csv", buffer: Buffer.from(text) });
}

test("campaigns: none yet; the wizard refuses a CSV row by its line, imports the file once its columns are mapped", async () => {
  await go(page, "/campaigns");
  await page.getByTestId("no-campaigns").waitFor();
  assert.deepEqual(await axe(page), [], "axe-clean, empty");
  await page.getByRole("link", { name: "New campaign" }).click();
  await page.waitForURL(/\/campaigns\/new$/);
  await page.getByLabel("Name", { exact: true }).fill("Spring sale");
  await page.getByRole("button", { name: "Upload CSV" }).click();
  await upload(CSV);
  await page.getByRole("table", { name: "What each column becomes" }).waitFor();
  await page.getByText("Pick exactly one phone column.").waitFor();
  await choose("What mobile number becomes", "Phone");
  await choose("What customer becomes", "Name");
  assert.deepEqual(await axe(page), [], "axe-clean, the mapping");
  page.expected.push(/HTTP 422: POST .*\/import/, /console.error: Failed to load resource.*422/);
  await page.getByRole("button", { name: "Import" }).click();
  const errors = page.getByTestId("import-errors");
  await errors.waitFor();
  assert.match(await errors.textContent(), /4.*phone/i, "line 4 (the header is line 1), with its reason");
  const lists = (await api(page, "GET", "/api/v1/contact-lists")).body.lists;
  assert.equal(lists.length, 1);
  assert.equal(lists[0].memberCount, 0, "nothing imported");
  assert.equal(await page.getByRole("button", { name: "Next" }).isDisabled(), true, "no audience yet");
  await upload(FIXED);
  await choose("What mobile number becomes", "Phone");
  await choose("What customer becomes", "Name");
  await page.getByRole("button", { name: "Import" }).click();
  await page.getByTestId("import-result").filter({ hasText: "Imported 3 contacts" }).waitFor();
  const after = (await api(page, "GET", "/api/v1/contact-lists")).body.lists;
  assert.equal(after.length, 1, "the same list, filled");
  assert.equal(after[0].memberCount, 3);
  clean();
});

test("campaigns: the preview is the server's, with each recipient's variable; a variable nobody has is named", async () => {
  await page.getByRole("button", { name: "Next" }).click();
  page.expected.push(/HTTP 422: POST .*\/preview/, /console.error: Failed to load resource.*422/);
  await page.getByLabel("Text", { exact: true }).fill("Hi {{name}}, your code is {{code}} {{gift}}");
  await page.getByTestId("preview-error").filter({ hasText: "gift" }).waitFor();
  await page.getByRole("button", { name: "Add a variable" }).click();
  await page.getByLabel("Variable 1 name").fill("gift");
  await page.getByLabel("Variable 1 value").fill("🎁");
  const bubbles = page.getByTestId("preview-bubble");
  await bubbles.filter({ hasText: "Hi Amal, your code is A10 🎁" }).waitFor();
  await bubbles.filter({ hasText: "Hi Bader, your code is B20 🎁" }).waitFor();
  assert.match(await page.getByTestId("preview").textContent(), /3 recipients/);
  assert.deepEqual(await axe(page), [], "axe-clean, the message step");
  clean();
});

test("campaigns: pacing, schedule, review; the campaign runs, its bar reaches 100 % and its funnel fills live", async () => {
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByLabel("Shortest pause").fill("1200");
  await page.getByLabel("Longest pause").fill("1200");
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByRole("button", { name: "Start now" }).waitFor();
  await page.getByRole("button", { name: "Next" }).click();
  const review = page.getByTestId("review");
  await review.waitFor();
  assert.match(await review.textContent(), /Spring sale/);
  assert.ok(await waitFor(async () => /Recipients3/.test(await review.textContent())), "3 recipients in the review");
  await shot(page, "campaigns-wizard-review");
  await page.getByRole("button", { name: "Create campaign" }).click();
  await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);
  const bar = page.getByTestId("campaign-progress");
  const seen = new Set();
  assert.ok(await waitFor(async () => {
    seen.add(await bar.getAttribute("data-value"));
    return (await page.getByTestId("funnel-read").getAttribute("data-value")) === "3";
  }, 60000), `read by all three, without a reload (bar: ${[...seen].join(", ")})`);
  assert.equal(await bar.getAttribute("data-value"), "100");
  assert.ok([...seen].some((v) => Number(v) > 0 && Number(v) < 100), `seen part way (${[...seen].join(", ")})`);
  assert.ok([...seen].every((v) => Number(v) <= 100), "never past the whole");
  await page.getByTestId("campaign-status").filter({ hasText: "Completed" }).waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId("funnel-sent").getAttribute("data-value"), "3");
  assert.equal(await page.getByTestId("funnel-delivered").getAttribute("data-value"), "3");
  const c = (await api(page, "GET", "/api/v1/campaigns")).body.campaigns[0];
  assert.equal(c.name, "Spring sale");
  assert.deepEqual(c.message, { text: "Hi {{name}}, your code is {{code}} {{gift}}" });
  const sent = (await api(page, "GET", "/api/v1/messages?chatId=966500000501@c.us")).body.messages;
  assert.equal(sent[0].content.text, "Hi Amal, your code is A10 🎁", "what Amal got");
  assert.ok(await waitFor(async () => (await page.getByTestId("recipient-status").allTextContents()).every((s) => s === "Read")),
    "the recipients table follows");
  clean();
});

test("campaigns: the recipients filter by state, and export as CSV", async () => {
  await page.locator(".p-dropdown:has(#cd-status)").click();
  await page.getByRole("option", { name: "Failed" }).click();
  await page.getByText("No recipient in this state.").waitFor();
  await page.locator(".p-dropdown:has(#cd-status) .p-dropdown-clear-icon").click();
  assert.ok(await waitFor(async () => (await page.getByTestId("recipient-status").count()) === 3));
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export").click()]);
  const csv = await (await download.createReadStream()).toArray();
  const text = Buffer.concat(csv).toString();
  assert.match(text, /966500000501/);
  assert.equal(text.trim().split("\n").length, 4, "a header and three rows");
  clean();
});

test("campaigns: a running campaign is paused and resumed from the list, live", async () => {
  const recipients = Array.from({ length: 6 }, (_, i) => `+9665000006${String(i).padStart(2, "0")}`);
  const r = await api(page, "POST", "/api/v1/campaigns", { name: "Slow drip", instanceId: instance, recipients,
    message: { text: "Drip" }, pacing: { minDelayMs: 3000, maxDelayMs: 3000 }, start: true });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  await go(page, "/campaigns");
  const row = page.getByRole("row").filter({ hasText: "Slow drip" });
  await row.getByTestId("campaign-status").filter({ hasText: "Running" }).waitFor();
  await row.getByRole("button", { name: "Pause Slow drip" }).click();
  await row.getByTestId("campaign-status").filter({ hasText: "Paused" }).waitFor();
  assert.equal((await api(page, "GET", `/api/v1/campaigns/${r.body.id}`)).body.status, "paused");
  await row.getByRole("button", { name: "Resume Slow drip" }).click();
  await row.getByTestId("campaign-status").filter({ hasText: "Running" }).waitFor();
  assert.equal((await api(page, "GET", `/api/v1/campaigns/${r.body.id}`)).body.status, "running");
  assert.ok(await waitFor(async () => Number(await row.getByTestId("campaign-progress").getAttribute("data-value")) > 0, 20000),
    "its bar moves on the list");
  clean();
});

test("campaigns: duplicated as a draft; the copy is cancelled after its confirmation", async () => {
  const row = page.getByRole("row").filter({ hasText: "Spring sale" });
  await row.getByRole("button", { name: "Duplicate Spring sale" }).click();
  await page.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);
  await page.getByTestId("campaign-status").filter({ hasText: "Draft" }).waitFor();
  await settle(page);
  await page.getByRole("button", { name: /^Cancel / }).click();
  await page.locator(".p-confirm-dialog").getByRole("button", { name: "Cancel" }).click();
  await page.getByTestId("campaign-status").filter({ hasText: "Cancelled" }).waitFor();
  const drafts = (await api(page, "GET", "/api/v1/campaigns?status=cancelled")).body.campaigns;
  assert.equal(drafts.length, 1);
  clean();
});

for (const mode of [{ name: "arabic", prefs: { theme: "light", language: "ar" } },
  { name: "dark", prefs: { theme: "dark", language: "en" } }, { name: "light", prefs: { theme: "light", language: "en" } }]) {
  test(`campaigns, ${mode.name}: the list, a campaign and the wizard render, axe-clean`, async () => {
    await api(page, "PATCH", "/api/v1/settings", { preferences: mode.prefs });
    await go(page, "/campaigns");
    await page.getByTestId("campaign-name").first().waitFor();
    if (mode.name === "arabic") assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
    let v = await axe(page);
    assert.deepEqual(v, [], "axe-clean, the list: " + JSON.stringify(v));
    const colours = await page.locator('a[href="/campaigns/new"]').evaluate((a) => [getComputedStyle(a).color, getComputedStyle(a).backgroundColor]);
    assert.notEqual(colours[0], colours[1], "the new-campaign link's label is seen on its button (axe passed it unseen)");
    await shot(page, `campaigns-${mode.name}`);
    await page.getByTestId("campaign-name").filter({ hasText: /^Spring sale$/ }).click();
    await page.getByTestId("funnel-read").waitFor();
    v = await axe(page);
    assert.deepEqual(v, [], "axe-clean, the detail: " + JSON.stringify(v));
    await shot(page, `campaign-detail-${mode.name}`);
    await go(page, "/campaigns/new");
    await page.locator("#cw-name").waitFor();
    v = await axe(page);
    assert.deepEqual(v, [], "axe-clean, the wizard: " + JSON.stringify(v));
    clean();
  });
}
