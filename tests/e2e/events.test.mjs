// The event monitor in a real browser: a sandbox phone's events arrive
// live under their types, filters narrow them, a pause holds what arrives
// and a resume shows it, and each event's JSON opens.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { api, axe, browser, go, open, signup, waitFor } from "./lib.mjs";

let b;
let page;
let inst;

before(async () => {
  b = await browser();
  page = await open(await b.newContext({ viewport: { width: 1366, height: 900 } }));
  await signup(page, "Events Org");
  inst = (await api(page, "POST", "/api/v1/instances", { name: "Monitor phone", provider: "sandbox" })).body;
});
after(async () => {
  await b?.close();
});

const inbound = (text) => api(page, "POST", `/api/v1/instances/${inst.id}/sandbox/inbound`,
  { from: "+966501234567", text });
const rows = () => page.getByTestId("event");

test("events: a phone's events arrive live under their types", async () => {
  await go(page, "/events");
  await api(page, "POST", `/api/v1/instances/${inst.id}/sandbox/pair`, {});
  await page.getByTestId("event").filter({ hasText: "session.status" }).first().waitFor({ timeout: 15000 });
  assert.ok(await waitFor(async () => (await api(page, "GET", `/api/v1/instances/${inst.id}`)).body.status === "ready"));
  const r = await inbound("مرحبا from the monitor");
  assert.ok(r.status === 202 || r.status === 200, `inbound: ${r.status}`);
  const received = rows().filter({ hasText: "message.received" }).first();
  await received.waitFor({ timeout: 15000 });
  assert.match(await received.textContent(), /Monitor phone/);
  await received.click();
  assert.match(await page.getByTestId("event-json").textContent(), /مرحبا from the monitor/);
  assert.deepEqual(await axe(page), [], "axe-clean with the JSON open");
  await page.keyboard.press("Escape");
  await page.getByTestId("event-json").waitFor({ state: "detached" });
  assert.deepEqual(await axe(page), [], "axe-clean with events listed");
  assert.deepEqual(page.problems.splice(0), []);
});

test("events: filters narrow the list; a pause holds new events until resumed", async () => {
  await page.locator(".p-multiselect").click();
  await page.getByRole("option", { name: "session.status" }).click();
  await page.keyboard.press("Escape");
  assert.ok(await waitFor(async () => (await rows().filter({ hasText: "message.received" }).count()) === 0));
  assert.ok(await rows().count() > 0, "the session events stay");
  await page.getByTestId("pause").click();
  await inbound("while paused");
  await page.getByTestId("event-count").getByText("1 waiting").waitFor({ timeout: 15000 });
  await page.getByRole("button", { name: "Resume" }).click();
  await page.locator(".p-multiselect").click();
  await page.getByRole("option", { name: "session.status" }).click();
  await page.keyboard.press("Escape");
  await rows().filter({ hasText: "while paused" }).waitFor();
  assert.deepEqual(page.problems.splice(0), []);
});
