// The reports page in a real browser, for an organisation in Riyadh's time
// zone: the summary of the last 7 days counts what two instances sent and
// received and follows a new message live; filtering by instance narrows it
// (and is kept in the address); today is drawn per hour of the tenant's
// zone, and its table and its CSV export add up to the summary; a range in
// the past, from the address, has none of it and does not follow live; an
// hourly view is not offered beyond 31 days; Arabic right-to-left and dark,
// axe-clean.
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, test } from "node:test";
import { CODES, api, axe, browser, go, open, readySandbox, shot, signup, waitFor } from "./lib.mjs";

let b;
let page;
const inst = {};

before(async () => {
  b = await browser();
  const ctx = await b.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
  page = await open(ctx);
  await signup(page, "Reports Org");
  assert.equal((await api(page, "POST", "/api/v1/subscription/redeem", { code: CODES[5] })).status, 200);
  assert.equal((await api(page, "PATCH", "/api/v1/settings", { general: { time_zone: "Asia/Riyadh" } })).status, 200);
  for (const name of ["North", "South"]) inst[name] = await readySandbox(page, name);
});
after(async () => {
  await b?.close();
});

function clean() {
  assert.deepEqual(page.problems.splice(0), [], "no console error, page error or failed request");
}

const send = async (instanceId, to) => {
  const r = await api(page, "POST", "/api/v1/messages/send-text", { instanceId, to, text: "Report me" });
  assert.equal(r.status, 202, JSON.stringify(r.body));
};
const figure = async (k) => Number((await page.getByTestId(`summary-${k}`).textContent()).replace(/\D/g, "") || "NaN");
const becomes = async (k, n, what) => {
  let last;
  assert.ok(await waitFor(async () => (last = await figure(k)) === n, 20000), `${what}: ${k} is ${n} (saw ${last})`);
};
// the table's column of a figure, every page of it
async function column(k) {
  const i = await page.getByTestId("report-table").locator("thead th").evaluateAll(
    (ths, label) => ths.findIndex((th) => th.textContent.trim() === label), k);
  const cells = await page.getByTestId("report-table").locator(`tbody tr td:nth-child(${i + 1})`).allTextContents();
  return cells.map((c) => Number(c.replace(/\D/g, "")));
}
const riyadhDay = (offsetDays) => new Date(Date.now() + 3 * 3600000 + offsetDays * 86400000).toISOString().slice(0, 10);

test("reports: the last 7 days count what both instances sent and received, and follow a new message live", async () => {
  await send(inst.North, "+966500000501");
  await send(inst.North, "+966500000502");
  await send(inst.South, "+966500000503");
  const r = await api(page, "POST", `/api/v1/instances/${inst.North}/sandbox/inbound`, { from: "+966500000501", text: "Thanks" });
  assert.equal(r.status < 300, true, JSON.stringify(r.body));
  await go(page, "/reports");
  await page.getByTestId("report-zone").filter({ hasText: "Asia/Riyadh" }).waitFor();
  await page.getByTestId("report-zone").filter({ hasText: "updates live" }).waitFor();
  await becomes("sent", 3, "7 days");
  await becomes("inbound", 1, "7 days");
  await page.getByRole("img", { name: "Messages over time, in Asia/Riyadh" }).waitFor();
  assert.equal((await column("Sent")).length, 7, "a row per day");
  assert.deepEqual(await axe(page), [], "axe-clean");
  await send(inst.North, "+966500000504");
  await becomes("sent", 4, "a message sent while the page is open, without a reload");
  clean();
});

test("reports: filtering by an instance narrows the figures, and the address keeps it", async () => {
  await page.locator(".p-dropdown:has(#rp-instance)").click();
  await page.getByRole("option", { name: "South", exact: true }).click();
  await becomes("sent", 1, "South only");
  await becomes("inbound", 0, "South only");
  assert.match(page.url(), new RegExp(`instanceId=${inst.South}`));
  await page.reload();
  await becomes("sent", 1, "after a reload");
  clean();
});

test("reports: today is drawn per hour of Riyadh; its table and its CSV add up to the summary", async () => {
  await page.locator(".p-dropdown:has(#rp-instance) .p-dropdown-clear-icon").click();
  await page.getByTestId("report-presets").getByText("Today", { exact: true }).click();
  await becomes("sent", 4, "today");
  const bucket = page.getByTestId("report-bucket").locator("[aria-pressed=true]");
  assert.equal((await bucket.textContent()).trim(), "Hour", "today is per hour");
  const sent = await column("Sent");
  const hours = new Date(Date.now() + 3 * 3600000).getUTCHours() + 1;
  assert.equal(sent.length, hours, "a row per hour of Riyadh's day so far");
  assert.equal(sent.reduce((a, x) => a + x, 0), 4, "the table adds up");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("report-export").click()]);
  assert.match(download.suggestedFilename(), new RegExp(`^waqtor-report-${riyadhDay(0)}-${riyadhDay(0)}-hour\\.csv$`));
  const [head, ...rows] = fs.readFileSync(await download.path(), "utf8").trim().split("\n").map((l) => l.split(","));
  assert.deepEqual(head.slice(0, 3), ["start", "local", "sent"]);
  assert.equal(rows.length, hours);
  assert.ok(rows.every((r) => r[1].endsWith("+03:00")), "local times in Riyadh's offset");
  assert.equal(rows.reduce((a, r) => a + Number(r[head.indexOf("sent")]), 0), 4, "the CSV adds up");
  assert.equal(rows.reduce((a, r) => a + Number(r[head.indexOf("inbound")]), 0), 1);
  clean();
});

test("reports: a range in the past, from the address, has nothing and does not follow live; hours stop at 31 days", async () => {
  await go(page, `/reports?range=custom&from=${riyadhDay(-40)}&to=${riyadhDay(-36)}`);
  await becomes("sent", 0, "40 to 36 days ago");
  assert.equal(await page.getByTestId("report-zone").filter({ hasText: "updates live" }).count(), 0);
  assert.equal((await column("Sent")).length, 5, "a row per day of the range");
  assert.equal(await page.locator("#rp-dates").inputValue(), `${riyadhDay(-40)} - ${riyadhDay(-36)}`);
  await page.getByTestId("report-presets").getByText("90 days", { exact: true }).click();
  await becomes("sent", 4, "90 days");
  const hour = page.getByTestId("report-bucket").getByText("Hour", { exact: true }).locator("xpath=..");
  assert.match(await hour.getAttribute("class"), /p-disabled/, "no hourly view over 90 days");
  clean();
});

for (const mode of [{ name: "light", prefs: { theme: "light", language: "en" } },
  { name: "arabic", prefs: { theme: "light", language: "ar" } },
  { name: "dark", prefs: { theme: "dark", language: "en" } }]) {
  test(`reports, ${mode.name}: renders, axe-clean`, async () => {
    await api(page, "PATCH", "/api/v1/settings", { preferences: mode.prefs });
    await go(page, "/reports?range=7d");
    await page.locator("canvas").first().waitFor();
    await page.getByTestId("report-table").locator("tbody tr").nth(6).waitFor();
    if (mode.name === "arabic") assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
    assert.deepEqual(await axe(page), [], "axe-clean");
    await shot(page, `reports-${mode.name}`);
    clean();
  });
}
