// Outbound webhooks in a real browser, to a receiver this test runs: an
// endpoint added with its secret shown once, a test event delivered and
// signed (Standard Webhooks: verified here with the secret), its attempt in
// the log with the receiver's answer, sent again, switched off, deleted.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import http from "node:http";
import { after, before, test } from "node:test";
import { URL, axe, browser, open, signup, waitFor } from "./lib.mjs";

let b;
let page;
let server;
let secret;
const got = [];

// Standard Webhooks: base64 HMAC-SHA256 of "id.timestamp.body" with the
// secret's bytes (after "whsec_"), in webhook-signature as "v1,<sig>".
function verified(req, body) {
  const signed = `${req.headers["webhook-id"]}.${req.headers["webhook-timestamp"]}.${body}`;
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const want = crypto.createHmac("sha256", key).update(signed).digest("base64");
  return (req.headers["webhook-signature"] ?? "").split(" ").some((s) => s === `v1,${want}`);
}

before(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      got.push({ req, body });
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.end("thanks");
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  b = await browser();
  page = await open(await b.newContext({ viewport: { width: 1366, height: 900 } }));
  await signup(page, "Hooks Org");
});
after(async () => {
  await b?.close();
  server?.close();
});

const hook = () => `http://127.0.0.1:${server.address().port}/hook`;
const row = () => page.getByRole("row").filter({ hasText: hook() });

test("webhooks: an endpoint is added and its secret shown once; a test event arrives signed", async () => {
  await page.getByRole("link", { name: "Webhooks" }).click();
  await page.getByRole("heading", { name: "Webhooks" }).waitFor();
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await page.getByLabel("URL").fill(hook());
  await page.getByLabel("Description").fill("CRM");
  await page.getByRole("button", { name: "Add", exact: true }).click();
  secret = (await page.getByTestId("webhook-secret").textContent()).trim();
  assert.match(secret, /^whsec_[A-Za-z0-9+/]+=*$/);
  await page.getByRole("button", { name: "Done" }).click();
  assert.ok(!(await page.content()).includes(secret), "the secret is not on the page any more");
  await row().getByRole("button", { name: "Send test" }).click();
  assert.ok(await waitFor(() => got.length === 1, 20000), "the receiver got the test event");
  assert.equal(got[0].req.headers["x-waqtor-event"], "webhook.test");
  assert.ok(verified(got[0].req, got[0].body), "its signature verifies with the secret shown");
  assert.deepEqual(page.problems.splice(0), []);
});

test("webhooks: the delivery log shows the attempt and the answer; redeliver sends it again", async () => {
  await row().getByRole("button", { name: "Deliveries" }).click();
  const tag = page.getByTestId("delivery-webhook.test");
  assert.ok(await waitFor(async () => {
    await page.getByRole("button", { name: "Refresh" }).click();
    return (await tag.textContent().catch(() => "")) === "Delivered";
  }, 20000), "delivered");
  await page.locator(".p-row-toggler").first().click();
  await page.getByText("thanks").waitFor();
  assert.deepEqual(await axe(page), [], "axe-clean with the log open");
  await page.getByRole("button", { name: "Send again" }).click();
  assert.ok(await waitFor(() => got.length === 2, 20000), "sent again");
  assert.equal(got[1].req.headers["webhook-id"], got[0].req.headers["webhook-id"], "the same event, the same id");
  await page.keyboard.press("Escape");
  assert.deepEqual(page.problems.splice(0), []);
});

test("webhooks: switched off, nothing is sent; then deleted after a confirmation", async () => {
  await row().locator(".p-inputswitch").click();
  await page.getByText("Saved", { exact: true }).waitFor();
  page.expected.push(/HTTP 409: POST .*\/test/, /console.error: Failed to load resource.*409/);
  await row().getByRole("button", { name: "Send test" }).click();
  await page.getByText("That did not work").waitFor();
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(got.length, 2, "a switched-off endpoint gets nothing");
  await row().getByRole("button", { name: `Delete ${hook()}` }).click();
  await page.locator(".p-confirm-dialog").getByRole("button", { name: "Delete" }).click();
  await row().waitFor({ state: "detached" });
  await page.getByText("No endpoint yet.").waitFor();
  assert.deepEqual(page.problems.splice(0), []);
});
