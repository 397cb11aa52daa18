// Helpers for the browser tests: Chromium through playwright-core (from
// web/node_modules), pages that record every console error, page error and
// failed request, axe-core, and screenshots.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(path.join(process.env.WQ_WEB, "package.json"));
const { chromium } = require("playwright-core");
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const URL = process.env.WQ_URL;
export const ORIGIN = new globalThis.URL(URL).origin;
export const DEMO = { email: process.env.WQ_DEMO_EMAIL, password: process.env.WQ_DEMO_PASSWORD };
export const CODES = process.env.WQ_ACCESS_CODES.split(",");
export const SHOTS = process.env.WQ_SCREENSHOTS;

export async function browser() {
  return chromium.launch({
    executablePath: process.env.WQ_CHROMIUM,
    args: process.getuid?.() === 0 ? ["--no-sandbox"] : [],
  });
}

// A page whose problems are kept in page.problems: console errors and
// warnings, uncaught errors, failed requests and answers >= 400. `expect`
// takes one the test causes on purpose (a regexp on its text), once.
export async function open(ctx) {
  const page = await ctx.newPage();
  page.problems = [];
  page.expected = [];
  page.inflight = 0;
  const problem = (text) => {
    const i = page.expected.findIndex((re) => re.test(text));
    if (i >= 0) page.expected.splice(i, 1);
    else page.problems.push(text);
  };
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problem(`console.${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problem(`page error: ${e.message}`));
  page.on("request", () => page.inflight++);
  page.on("requestfinished", () => page.inflight--);
  page.on("requestfailed", (r) => {
    page.inflight--;
    // what a navigation of ours cut short (settle() makes it rare: a socket
    // event can still start a refetch at that moment) is not the page's fault
    if (page.leaving && r.failure()?.errorText === "net::ERR_ABORTED") return;
    problem(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problem(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  return page;
}

// Waits until no request of the page is in flight (the socket's websocket
// is not a request), so that leaving the page aborts nothing.
// On a page of the layout, that is once its realtime connection is up
// (minting its token is a request too).
export async function settle(page, ms = 20000) {
  const end = Date.now() + ms;
  // no request in flight for 300 ms on end: a chunk that just arrived starts
  // the page's own requests a moment later
  const idle = async () => {
    let quiet = 0;
    while (quiet < 300 && Date.now() < end) {
      await page.waitForTimeout(50);
      quiet = page.inflight > 0 ? 0 : quiet + 50;
    }
  };
  await idle();
  const status = page.locator("[data-testid=ws-status]");
  if (await status.count()) {
    await page.locator("[data-testid=ws-status][data-state=online]").waitFor({ timeout: Math.max(1, end - Date.now()) })
      .catch(async () => {
        throw new Error(`the realtime connection of ${page.url()} stayed ${await status.getAttribute("data-state")}; ` +
          page.problems.join("; "));
      });
    await idle();
  }
}

export async function go(page, route) {
  await settle(page);
  page.leaving = true;
  try {
    await page.goto(URL + route);
  } finally {
    page.leaving = false;
  }
  await settle(page);
}

// axe-core's serious and critical violations of the page as it is now.
export async function axe(page) {
  // colours are judged at rest, not halfway through a fade-in
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running" ||
    a.effect?.getTiming().iterations === Infinity), null, { timeout: 5000 }).catch(() => {});
  // evaluated over the DevTools protocol: the page's CSP (script-src 'self') stays on
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE);
  const r = await page.evaluate(async () => {
    const res = await window.axe.run(document, { resultTypes: ["violations"] });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " " + (n.failureSummary ?? "").slice(0, 200)) }));
  });
  return r.filter((v) => v.impact === "serious" || v.impact === "critical");
}

export async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

// Logs in through the form.
export async function login(page, email, password, returnTo = "/dashboard") {
  await go(page, "/auth/login");
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.click("button[type=submit]");
  await page.waitForURL(URL + returnTo);
}

// Signs up a new organisation through the form; returns its owner's e-mail.
export async function signup(page, org) {
  const email = `${org.toLowerCase().replace(/\W+/g, "-")}-${Date.now()}@e2e.test`;
  await go(page, "/auth/signup");
  await page.getByLabel("Organisation").fill(org);
  await page.getByLabel("Your name").fill(`${org} owner`);
  await page.getByLabel("E-mail").fill(email);
  await page.locator("#password").fill("e2e password 1");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(URL + "/dashboard");
  return email;
}

// Picks an option of the PrimeReact dropdown labelled `label` (its readonly
// input has the label and takes no click), and waits for its panel to go,
// so that the next dropdown's options are the only ones.
export async function pick(page, label, option) {
  await page.locator(".p-dropdown", { has: page.getByLabel(label, { exact: true }) }).click();
  await page.getByRole("option", { name: option, exact: true }).click();
  await page.locator(".p-dropdown-panel").waitFor({ state: "detached" });
}

// The API from inside the page (its session cookie, same origin).
export function api(page, method, p, body) {
  return page.evaluate(async ([method, p, body]) => {
    const r = await fetch(p, { method, headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined });
    const text = await r.text(); // read even when empty: an unread body is an aborted load
    return { status: r.status, body: text ? JSON.parse(text) : null };
  }, [method, p, body]);
}

export async function waitFor(cond, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await cond()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

// A PNG drawn by the browser.
export async function png(page, colour = "#0f766e") {
  const data = await page.evaluate((c) => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 64;
    const g = canvas.getContext("2d");
    g.fillStyle = c;
    g.fillRect(0, 0, 64, 64);
    return canvas.toDataURL("image/png");
  }, colour);
  return Buffer.from(data.split(",")[1], "base64");
}

// A sandbox instance made through the API and paired; its id.
export async function readySandbox(page, name) {
  const r = await api(page, "POST", "/api/v1/instances", { name, provider: "sandbox" });
  const state = async () => (await api(page, "GET", `/api/v1/instances/${r.body.id}/state`)).body.status;
  await waitFor(async () => (await state()) === "qr");
  await api(page, "POST", `/api/v1/instances/${r.body.id}/sandbox/pair`);
  await waitFor(async () => (await state()) === "ready");
  return r.body.id;
}
