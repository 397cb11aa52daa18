// The dashboard's live view in a real browser: on the free plan the figures
// are behind the plan; on a paid plan a sandbox instance's QR appears on the
// dashboard and goes once it is scanned, today's figures move as messages are
// sent and received, the week's chart is drawn, and a running campaign's
// progress bar fills and leaves when it completes; all without a reload, in
// English, Arabic right-to-left and dark, axe-clean.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CODES, api, axe, browser, open, shot, signup, waitFor } from "./lib.mjs";

let b;
let page;
let instance;

before(async () => {
  b = await browser();
  const ctx = await b.newContext({ viewport: { width: 1366, height: 900 } });
  page = await open(ctx);
  await signup(page, "Overview Org");
});
after(async () => {
  await b?.close();
});

function clean() {
  assert.deepEqual(page.problems.splice(0), [], "no console error, page error or failed request");
}

const figure = async (k) => Number((await page.getByTestId(`today-${k}`).textContent()).replace(/\D/g, "") || "NaN");

test("overview: on the free plan the figures are behind the plan, and nothing runs", async () => {
  await page.getByTestId("figures-premium").waitFor();
  await page.getByText("No campaign is running.").waitFor();
  assert.deepEqual(await axe(page), [], "axe-clean");
  clean();
});

test("overview: a sandbox instance's QR shows on the dashboard and goes when it is scanned", async () => {
  assert.equal((await api(page, "POST", "/api/v1/subscription/redeem", { code: CODES[2] })).status, 200);
  await page.reload();
  assert.ok(await waitFor(async () => (await figure("sent")) === 0), "nothing sent today yet");
  await page.getByRole("img", { name: "Messages per day over the last 7 days" }).waitFor();
  const r = await api(page, "POST", "/api/v1/instances", { name: "Front desk", provider: "sandbox" });
  assert.equal(r.status, 201);
  instance = r.body.id;
  const item = page.getByTestId("dash-instance").filter({ hasText: "Front desk" });
  await item.getByTestId("qr").waitFor({ timeout: 15000 });
  await item.getByText("Waiting for the QR scan").waitFor();
  assert.equal(await page.getByTestId("instance-count").textContent(), "1");
  assert.equal((await api(page, "POST", `/api/v1/instances/${instance}/sandbox/pair`)).status < 300, true);
  await item.getByTestId("qr").waitFor({ state: "detached", timeout: 15000 });
  await item.getByText("Ready").waitFor();
  assert.equal(await page.getByTestId("ready-count").textContent(), "1");
  clean();
});

test("overview: today's figures move as messages are sent and received", async () => {
  for (const to of ["+966500000001", "+966500000002"]) {
    const r = await api(page, "POST", "/api/v1/messages/send-text", { instanceId: instance, to, text: "Hello" });
    assert.equal(r.status < 300, true, JSON.stringify(r.body));
  }
  assert.ok(await waitFor(async () => (await figure("sent")) === 2, 20000), "2 sent, without a reload");
  const r = await api(page, "POST", `/api/v1/instances/${instance}/sandbox/inbound`, { from: "+966500000001", text: "Hi" });
  assert.equal(r.status < 300, true, JSON.stringify(r.body));
  assert.ok(await waitFor(async () => (await figure("inbound")) === 1, 20000), "1 received, without a reload");
  clean();
});

test("overview: a running campaign's progress fills and it leaves the list when done", async () => {
  const recipients = Array.from({ length: 4 }, (_, i) => `+9665000001${String(i).padStart(2, "0")}`);
  const r = await api(page, "POST", "/api/v1/campaigns", { name: "Winter sale", instanceId: instance, recipients,
    message: { text: "Sale!" }, pacing: { minDelayMs: 1500, maxDelayMs: 1500 }, start: true });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const row = page.getByTestId("running-campaign").filter({ hasText: "Winter sale" });
  await row.waitFor({ timeout: 15000 });
  const bar = row.getByRole("progressbar");
  const seen = new Set();
  assert.ok(await waitFor(async () => {
    if (await row.count() === 0) return true;
    seen.add(await bar.getAttribute("aria-valuenow").catch(() => null));
    return false;
  }, 40000), "gone from the running list when completed");
  assert.ok([...seen].some((v) => v !== null && Number(v) > 0 && Number(v) < 100),
    `seen part way (${[...seen].join(", ")})`);
  assert.ok([...seen].every((v) => v === null || Number(v) <= 100), `never past the whole (${[...seen].join(", ")})`);
  await page.getByText("No campaign is running.").waitFor();
  clean();
});

for (const mode of [{ name: "arabic", prefs: { theme: "light", language: "ar" }, qr: "رمز" },
  { name: "dark", prefs: { theme: "dark", language: "en" } }]) {
  test(`overview, ${mode.name}: the live dashboard renders, axe-clean`, async () => {
    await api(page, "POST", `/api/v1/instances/${instance}/logout`);
    await api(page, "PATCH", "/api/v1/settings", { preferences: mode.prefs });
    await page.reload();
    await page.getByTestId("today-sent").waitFor();
    await page.locator("canvas").first().waitFor();
    await api(page, "POST", `/api/v1/instances/${instance}/restart`);
    await page.getByTestId("qr").waitFor({ timeout: 15000 });
    if (mode.name === "arabic") assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
    assert.deepEqual(await axe(page), [], "axe-clean");
    await shot(page, `overview-${mode.name}`);
    clean();
  });
}

test("overview: back to light English", async () => {
  await api(page, "PATCH", "/api/v1/settings", { preferences: { theme: "light", language: "en" } });
  await page.reload();
  await page.getByTestId("today-sent").waitFor();
  await shot(page, "overview-light");
  clean();
});
