// The conversations page in a real browser: a received message makes its
// chat appear with an unread badge, opening it marks it read on the server,
// a message typed in the composer gets its ticks moving live to read, an
// undeliverable number's message shows it failed and why, a message
// received while the chat is open arrives without a reload; files picked or
// dropped on the thread are checked for kind and size before any upload,
// and sent as a photo with its caption or a document; search; a long
// list paged as it scrolls, virtual, searched on the server; Arabic
// right-to-left and dark, axe-clean.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { api, axe, browser, go, open, ORIGIN, png, readySandbox, shot, signup, waitFor } from "./lib.mjs";

let b;
let page;
let instance;
const SARA = "+966500000301";
const SARA_CHAT = "966500000301@c.us";

before(async () => {
  b = await browser();
  const ctx = await b.newContext({ viewport: { width: 1366, height: 900 } });
  page = await open(ctx);
  await signup(page, "Messages Org");
  const r = await api(page, "POST", "/api/v1/instances", { name: "Support line", provider: "sandbox" });
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

const chat = (name) => page.getByTestId("chat").filter({ hasText: name });

test("messages: no chat yet, then a received message brings its chat with an unread badge, live", async () => {
  await go(page, "/messages");
  await page.getByTestId("no-chats").waitFor();
  const r = await api(page, "POST", `/api/v1/instances/${instance}/sandbox/inbound`,
    { from: SARA, text: "Is the shop open today?", name: "Sara" });
  assert.ok(r.status < 300, JSON.stringify(r.body));
  await chat("Sara").waitFor({ timeout: 15000 });
  assert.equal(await chat("Sara").getByTestId("unread").textContent(), "1");
  assert.match(await chat("Sara").textContent(), /Is the shop open today\?/);
  assert.deepEqual(await axe(page), [], "axe-clean");
  clean();
});

test("messages: opening the chat marks it read; an answer's ticks move to read live", async () => {
  await chat("Sara").click();
  await chat("Sara").getByTestId("unread").waitFor({ state: "detached" });
  assert.ok(await waitFor(async () => {
    const chats = (await api(page, "GET", "/api/v1/chats")).body.chats;
    return chats.find((c) => c.chatId === SARA_CHAT)?.unreadCount === 0;
  }), "read on the server");
  await page.getByTestId("bubble").filter({ hasText: "Is the shop open today?" }).waitFor();
  await page.getByLabel("Type a message").fill("Yes, until 9 pm.");
  await page.keyboard.press("Enter");
  const mine = page.getByTestId("bubble").filter({ hasText: "Yes, until 9 pm." });
  await mine.waitFor();
  const seen = new Set();
  assert.ok(await waitFor(async () => {
    const s = await mine.getByTestId("ticks").getAttribute("data-status");
    seen.add(s);
    return s === "read";
  }, 20000), `read, without a reload (seen: ${[...seen].join(", ")})`);
  assert.equal(await page.getByLabel("Type a message").inputValue(), "", "the composer is cleared");
  const list = (await api(page, "GET", `/api/v1/messages?chatId=${SARA_CHAT}`)).body.messages;
  assert.equal(list[0].content.text, "Yes, until 9 pm.", "sent through the API");
  clean();
});

test("messages: a received message arrives in the open thread; a day separator heads it", async () => {
  await api(page, "POST", `/api/v1/instances/${instance}/sandbox/inbound`, { from: SARA, text: "Thanks!", name: "Sara" });
  await page.getByTestId("bubble").filter({ hasText: "Thanks!" }).waitFor({ timeout: 15000 });
  assert.equal(await page.getByRole("separator").count(), 1, "one day, one separator");
  assert.equal(await chat("Sara").getByTestId("unread").count(), 0, "the open chat stays read");
  clean();
});

test("messages: an undeliverable number's message shows it failed and why", async () => {
  const r = await api(page, "POST", "/api/v1/messages/send-text", { instanceId: instance, to: "+999000111222", text: "Hello?" });
  assert.ok(r.status < 300, JSON.stringify(r.body));
  await chat("999000111222").waitFor({ timeout: 15000 });
  await chat("999000111222").click();
  const bubble = page.getByTestId("bubble").filter({ hasText: "Hello?" });
  await bubble.waitFor();
  assert.ok(await waitFor(async () => (await bubble.getByTestId("ticks").getAttribute("data-status")) === "failed", 20000),
    "failed");
  await bubble.getByTestId("failure").waitFor();
  assert.ok((await bubble.getByTestId("failure").textContent()).length > 3, "with its reason");
  clean();
});

test("messages: a file too large or of a kind WhatsApp does not take is refused before any upload", async () => {
  await chat("Sara").click();
  await page.getByTestId("bubble").filter({ hasText: "Thanks!" }).waitFor();
  const before = page.problems.length;
  let uploads = 0;
  page.on("request", (r) => { if (r.url().includes("send-media")) uploads++; });
  const input = page.getByTestId("file-input");
  await input.setInputFiles({ name: "big.png", mimeType: "image/png", buffer: Buffer.alloc(5 * 1024 * 1024 + 1) });
  await page.getByText("big.png is too large").waitFor();
  await page.getByText("A Photo can be at most 5 MB.").waitFor();
  await input.setInputFiles({ name: "dance.gif", mimeType: "image/gif", buffer: Buffer.from("GIF89a") });
  await page.getByText("dance.gif cannot be sent").waitFor();
  assert.equal(await page.getByTestId("attachment").count(), 0, "nothing attached");
  assert.equal(uploads, 0, "nothing uploaded");
  assert.equal(page.problems.length, before);
  for (const close of await page.locator(".p-toast-icon-close").all()) await close.click();
  clean();
});

test("messages: a photo dropped on the thread is sent with its caption; a picked PDF as a document", async () => {
  const photo = await png(page, "#d97706");
  await page.evaluate((bytes) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], "shop.png", { type: "image/png" }));
    const zone = document.querySelector("[data-testid=thread-drop]");
    zone.dispatchEvent(new DragEvent("dragover", { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, [...photo]);
  await page.getByTestId("attachment").filter({ hasText: "shop.png" }).waitFor();
  await page.getByLabel("Add a caption").fill("Our new shop");
  await page.getByRole("button", { name: "Send" }).click();
  const bubble = page.getByTestId("bubble").filter({ hasText: "Our new shop" });
  await bubble.getByTestId("bubble-image").waitFor();
  assert.equal(await page.getByTestId("attachment").count(), 0, "the composer is empty again");
  assert.ok(await waitFor(async () => (await bubble.getByTestId("ticks").getAttribute("data-status")) === "read", 20000), "read");
  assert.ok(await bubble.getByTestId("bubble-image").evaluate((img) => img.complete && img.naturalWidth === 64), "the photo is shown");
  await page.getByTestId("file-input").setInputFiles({ name: "offer.pdf", mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n") });
  await page.getByTestId("attachment").filter({ hasText: "offer.pdf" }).waitFor();
  await page.getByRole("button", { name: "Send" }).click();
  await page.getByTestId("bubble-file").filter({ hasText: "offer.pdf" }).waitFor();
  const out = (await api(page, "GET", `/api/v1/messages?chatId=${SARA_CHAT}&instanceId=${instance}&limit=2`)).body.messages;
  assert.deepEqual(out.map((m) => [m.type, m.content.filename, m.content.caption ?? null]),
    [["document", "offer.pdf", null], ["image", "shop.png", "Our new shop"]]);
  clean();
});

test("messages: search narrows the chats", async () => {
  await page.getByLabel("Search chats").fill("sar");
  assert.ok(await waitFor(async () => (await page.getByTestId("chat").count()) === 1), "only Sara");
  await page.getByLabel("Search chats").fill("999000");
  assert.ok(await waitFor(async () => (await page.getByTestId("chat").count()) === 1), "by number");
  await page.getByLabel("Search chats").fill("nobody here");
  await page.getByText("No chat matches.").waitFor();
  await page.getByLabel("Search chats").fill("");
  clean();
});

test("messages: a long chat list loads a page at a time as it scrolls, renders only what shows, and searches the server", async () => {
  // a tenant of its own (its own request budget), with more chats than a page of 50
  const N = 55;
  const ctx = await b.newContext({ viewport: { width: 1366, height: 900 } });
  const p = await open(ctx);
  try {
    await signup(p, "Busy Org");
    const inst = await readySandbox(p, "Busy line");
    for (let i = 1; i <= N; i++) {
      let r;
      do { // at the plan's pace: past its burst, 429 until the next request is due
        r = await api(p, "POST", `/api/v1/instances/${inst}/sandbox/inbound`,
          { from: `+96659000${String(i).padStart(4, "0")}`, text: `order ${i}`, name: `Guest ${i}` });
      } while (r.status === 429 && await new Promise((ok) => setTimeout(ok, 250, true)));
      assert.ok(r.status < 300, JSON.stringify(r.body));
    }
    assert.ok(await waitFor(async () => (await api(p, "GET", "/api/v1/chats?limit=200")).body?.chats?.length === N, 30000),
      `the ${N} chats are stored`);
    // the seeding spent the session's burst: the page gets it back before it loads
    // (asked once a second: slower than it comes back)
    let left = 0;
    for (let i = 0; i < 30 && left < 40; i++) {
      await new Promise((ok) => setTimeout(ok, 1000));
      const r = await p.request.get(`${ORIGIN}/api/v1/me`);
      left = r.status() === 200 ? Number(r.headers()["ratelimit-remaining"]) : 0;
    }
    assert.ok(left >= 40, `the request budget is back (${left} left)`);
    assert.deepEqual(p.problems.splice(0).filter((x) => !/status of 429|^HTTP 429:/.test(x)), [], "only the seeding's own 429s");
    await go(p, "/messages");
    const rows = p.getByTestId("chat");
    await rows.filter({ hasText: `Guest ${N}` }).waitFor();
    assert.ok((await rows.count()) < 40, `only the rows in view are rendered (${await rows.count()})`);
    // scrolled to the end, again and again: the next pages come, down to the first chat
    assert.ok(await waitFor(async () => {
      await p.locator(".chat-scroller").evaluate((el) => { el.scrollTop = el.scrollHeight; });
      return (await p.locator(".chat-name").filter({ hasText: /^Guest 1$/ }).count()) === 1;
    }, 20000), "the oldest chat is reached");
    assert.equal(await p.locator(".chat-scroller").evaluate((el) => Math.round(el.scrollHeight / 68)), N,
      "every chat once");
    assert.ok((await rows.count()) < 40, "still only what shows");
    await p.getByLabel("Search chats").fill("guest 5");
    assert.ok(await waitFor(async () => (await rows.count()) === 7), "the server finds Guest 5 and 50-55");
    await p.getByLabel("Search chats").fill("+966 59 000 0042");
    assert.ok(await waitFor(async () => (await rows.count()) === 1 &&
      /Guest 42/.test(await rows.first().textContent())), "and a number, whatever its separators");
    assert.deepEqual(await axe(p), [], "axe-clean");
    await shot(p, "messages-many");
    assert.deepEqual(p.problems.splice(0), [], "no console error, page error or failed request");
  } finally {
    await ctx.close();
  }
});

for (const mode of [{ name: "arabic", prefs: { theme: "light", language: "ar" } },
  { name: "dark", prefs: { theme: "dark", language: "en" } }, { name: "light", prefs: { theme: "light", language: "en" } }]) {
  test(`messages, ${mode.name}: the open chat renders, axe-clean`, async () => {
    await api(page, "PATCH", "/api/v1/settings", { preferences: mode.prefs });
    await go(page, "/messages");
    await chat("Sara").click();
    await page.getByTestId("bubble").first().waitFor();
    if (mode.name === "arabic") assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
    const v = await axe(page);
    assert.deepEqual(v, [], "axe-clean: " + JSON.stringify(v));
    await shot(page, `messages-${mode.name}`);
    clean();
  });
}
