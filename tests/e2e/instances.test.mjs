// The instances page in a real browser: a sandbox instance created, its
// pairing QR drawn live, scanned by the sandbox phone, and the state turning
// ready without a reload; a Cloud API instance refused field by field, then
// created with the values to paste into Meta's console; pacing saved;
// logout and delete.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { URL, api, axe, browser, go, open, signup, waitFor } from "./lib.mjs";

let b;
let page;

before(async () => {
  b = await browser();
  const ctx = await b.newContext({ viewport: { width: 1366, height: 900 } });
  page = await open(ctx);
  await signup(page, "Instances Org");
});
after(async () => {
  await b?.close();
});

function clean() {
  assert.deepEqual(page.problems.splice(0), [], "no console error, page error or failed request");
}

const row = (name) => page.getByRole("row").filter({ hasText: name });

test("instances: a sandbox instance shows its QR live, is scanned and turns ready", async () => {
  await page.getByRole("link", { name: "Instances", exact: true }).click();
  await page.getByRole("heading", { name: "Instances" }).waitFor();
  await page.getByRole("button", { name: "New instance" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Shop phone");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  const qr = page.getByTestId("qr");
  await qr.waitFor({ timeout: 15000 });
  assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), "the QR is drawn");
  await row("Shop phone").getByText("Waiting for the QR scan").waitFor();
  await page.getByRole("button", { name: "Scan with the sandbox phone" }).click();
  await qr.waitFor({ state: "detached", timeout: 15000 });
  await row("Shop phone").getByText("Ready").waitFor({ timeout: 15000 });
  const v = await axe(page);
  assert.deepEqual(v, [], "axe-clean");
  clean();
});

test("instances: pacing is saved; after logout, pairing again shows a new QR; delete asks first", async () => {
  await row("Shop phone").getByRole("button", { name: "Pacing" }).click();
  await page.getByLabel("Daily cap of new recipients").fill("250");
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByText("Saved", { exact: true }).waitFor();
  const list = await api(page, "GET", "/api/v1/instances");
  assert.equal(list.body.instances[0].config.dailyRecipientCap, 250);
  await row("Shop phone").getByRole("button", { name: "Log out" }).click();
  await row("Shop phone").getByText("Disconnected").waitFor({ timeout: 15000 });
  await row("Shop phone").getByRole("button", { name: "Pair" }).click();
  await page.getByTestId("qr").waitFor({ timeout: 15000 });
  await page.keyboard.press("Escape");
  await row("Shop phone").getByRole("button", { name: "Delete Shop phone" }).click();
  await page.getByRole("button", { name: "Cancel" }).click();
  assert.equal(await row("Shop phone").count(), 1, "cancelled: still there");
  await row("Shop phone").getByRole("button", { name: "Delete Shop phone" }).click();
  await page.locator(".p-confirm-dialog").getByRole("button", { name: "Delete" }).click();
  await row("Shop phone").waitFor({ state: "detached" });
  clean();
});

test("instances: a Cloud API instance is refused field by field, then created with Meta's values", async () => {
  await page.getByRole("button", { name: "New instance" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Sales KSA");
  await page.getByRole("button", { name: "Cloud API" }).click();
  await page.getByLabel("Phone number ID").fill("12ab");
  await page.getByLabel("Access token").fill("EAAG-token");
  await page.getByLabel("App secret").fill("app-secret");
  await page.getByLabel("Verify token").fill("my-verify-token");
  page.expected.push(/HTTP 400: POST .*\/api\/v1\/instances/, /console.error: Failed to load resource.*400/);
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await page.locator("#ci-phoneNumberId-error").waitFor();
  const before = (await api(page, "GET", "/api/v1/instances")).body.instances;
  assert.deepEqual(before.filter((i) => i.name === "Sales KSA"), [], "nothing was created");
  await page.getByLabel("Phone number ID").fill("106540352242922");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  const url = page.getByTestId("webhook-url");
  await url.waitFor();
  const id = (await api(page, "GET", "/api/v1/instances")).body.instances.find((i) => i.name === "Sales KSA").id;
  assert.equal(await url.textContent(), `${URL}/api/v1/providers/cloud/${id}/webhook`);
  assert.ok((await page.content()).includes("my-verify-token"), "the verify token to paste");
  await page.getByRole("button", { name: "Done" }).click();
  await go(page, "/instances");
  assert.ok(!(await page.content()).includes("EAAG-token"), "the access token is never shown back");
  clean();
});
