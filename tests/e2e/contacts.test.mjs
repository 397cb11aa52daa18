// The contact pages in a real browser: a contact with a bad number is
// refused on its field and nothing is made; fixed, it is added with its tags
// and attributes, edited (an attribute removed by merge patch), found by
// name, digits and tag; a list is made, a CSV with one bad row is imported
// into it with the valid rows kept and the bad one named by its line, and
// the file's values overwrite the contact's ("update"); the list exports
// the form the import reads; contacts picked on All contacts go into the
// list, one is taken out, the list is deleted after its confirmation and
// its contacts stay; a number is opted out by hand, its contact says so,
// and it is taken off again; Arabic right-to-left and dark, axe-clean.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { api, axe, browser, go, open, pick, settle, shot, signup, waitFor } from "./lib.mjs";

let b;
let page;

before(async () => {
  b = await browser();
  const ctx = await b.newContext({ viewport: { width: 1366, height: 900 } });
  page = await open(ctx);
  await signup(page, "Contacts Org");
});
after(async () => {
  await b?.close();
});

function clean() {
  assert.deepEqual(page.problems.splice(0), [], "no console error, page error or failed request");
}

const contacts = async (q = "") => (await api(page, "GET", `/api/v1/contacts${q}`)).body.contacts;
const dialog = () => page.getByRole("dialog");
const rowOf = (text) => page.getByRole("row").filter({ hasText: text });

test("contacts: none yet; a bad number is refused on its field; the contact is added with tags and attributes", async () => {
  await go(page, "/contacts");
  await page.getByTestId("no-contacts").waitFor();
  assert.deepEqual(await axe(page), [], "axe-clean, empty");
  await page.getByRole("button", { name: "Add contact" }).click();
  await dialog().getByLabel("Phone", { exact: true }).fill("12");
  await dialog().getByLabel("Name", { exact: true }).fill("Sara");
  await dialog().getByLabel("Tags", { exact: true }).fill("vip,");
  await dialog().getByLabel("Tags", { exact: true }).fill("riyadh,");
  await dialog().getByRole("button", { name: "Add an attribute" }).click();
  await dialog().getByLabel("Attribute 1 name").fill("city");
  await dialog().getByLabel("Attribute 1 value").fill("Riyadh");
  await dialog().getByRole("button", { name: "Add an attribute" }).click();
  await dialog().getByLabel("Attribute 2 name").fill("plan");
  await dialog().getByLabel("Attribute 2 value").fill("gold");
  assert.deepEqual(await axe(page), [], "axe-clean, the editor");
  page.expected.push(/HTTP 400: POST .*\/contacts/, /console.error: Failed to load resource.*400/);
  await dialog().getByRole("button", { name: "Save" }).click();
  await dialog().getByRole("alert").filter({ hasText: "too few digits" }).waitFor();
  assert.deepEqual(await contacts(), [], "nothing made");
  await dialog().getByLabel("Phone", { exact: true }).fill("+966 50 000 0701");
  await dialog().getByRole("button", { name: "Save" }).click();
  await dialog().waitFor({ state: "detached" });
  await rowOf("+966500000701").waitFor();
  const [c] = await contacts();
  assert.deepEqual([c.phone, c.name, c.tags, c.attributes], ["966500000701", "Sara", ["vip", "riyadh"], { city: "Riyadh", plan: "gold" }]);
  clean();
});

test("contacts: edited, an attribute removed; found by name, by digits and by a tag", async () => {
  await rowOf("+966500000701").getByRole("button", { name: "Edit Sara" }).click();
  await dialog().getByLabel("Name", { exact: true }).fill("Sara Q");
  await dialog().getByRole("button", { name: "Remove attribute 2" }).click();
  await dialog().getByRole("button", { name: "Save" }).click();
  await dialog().waitFor({ state: "detached" });
  await rowOf("Sara Q").waitFor();
  const [c] = await contacts();
  assert.deepEqual([c.name, c.attributes], ["Sara Q", { city: "Riyadh" }], "plan removed, city kept");
  await api(page, "POST", "/api/v1/contacts", { phone: "+966500000702", name: "Omar", tags: ["new"] });
  await go(page, "/contacts");
  await rowOf("Omar").waitFor();
  const search = page.getByLabel("Search by name or number");
  await search.fill("sara");
  await waitFor(async () => (await page.getByTestId("contact-name").allTextContents()).join() === "Sara Q");
  await search.fill("966500000702");
  await waitFor(async () => (await page.getByTestId("contact-name").allTextContents()).join() === "Omar");
  await search.fill("nobody");
  await page.getByTestId("no-contacts").filter({ hasText: "No contact matches" }).waitFor();
  await search.fill("");
  await rowOf("Sara Q").getByRole("button", { name: "Show contacts tagged vip" }).click();
  await page.getByTestId("tag-filter").waitFor();
  assert.ok(await waitFor(async () => (await page.getByTestId("contact-name").allTextContents()).join() === "Sara Q"), "only the vip");
  await page.getByTestId("tag-filter").getByRole("button").click();
  await rowOf("Omar").waitFor();
  clean();
});

// the second data row's number is too short; Sara's row overwrites her name and city
const CSV = "phone,name,city\n+966500000701,Sara Qahtani,Jeddah\n123,Bad,X\n+966500000703,Huda,Dammam\n";

test("lists: made, a CSV imported with the valid rows kept and the bad one by its line, the file's values winning", async () => {
  await page.getByRole("link", { name: "Lists" }).click();
  await page.waitForURL(/\/contacts\/lists$/);
  await page.getByTestId("no-lists").waitFor();
  await page.getByRole("button", { name: "New list" }).click();
  await dialog().getByLabel("Name", { exact: true }).fill("Riyadh fair");
  await dialog().getByLabel("Description", { exact: true }).fill("From the spring fair");
  await dialog().getByRole("button", { name: "Save" }).click();
  await dialog().waitFor({ state: "detached" });
  await page.getByTestId("list-name").filter({ hasText: "Riyadh fair" }).click();
  await page.waitForURL(/\/contacts\/lists\/[0-9a-f-]{36}$/);
  await page.getByTestId("no-contacts").filter({ hasText: "This list is empty" }).waitFor();
  await page.getByRole("button", { name: "Import CSV" }).click();
  await page.locator("#ld-csv-file").setInputFiles({ name: "fair.csv", mimeType: "text/csv", buffer: Buffer.from(CSV) });
  await page.getByRole("table", { name: "What each column becomes" }).waitFor();
  await pick(page, "Existing contacts", "Overwrite with the file");
  await page.getByLabel("Import the valid rows even if some are invalid").check();
  assert.deepEqual(await axe(page), [], "axe-clean, the import");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  const result = page.getByTestId("import-result");
  await result.waitFor();
  assert.match(await result.textContent(), /Imported 2 contacts: 1 new, 1 already there, 2 added to the list.*1 invalid rows skipped/);
  assert.match(await page.getByTestId("import-errors").textContent(), /3.*digits/, "line 3 (the header is line 1), with its reason");
  await page.getByTestId("list-members").filter({ hasText: "2 members" }).waitFor();
  await rowOf("Huda").waitFor();
  const sara = (await contacts("?search=966500000701"))[0];
  assert.deepEqual([sara.name, sara.attributes.city], ["Sara Qahtani", "Jeddah"], "update: the file's values");
  const href = await page.getByTestId("list-export").getAttribute("href");
  const csv = await page.evaluate(async (h) => (await fetch(h)).text(), href);
  assert.match(csv, /^phone,name,city\r?\n/, "the form the import reads");
  assert.match(csv, /966500000703,Huda,Dammam/);
  clean();
});

test("lists: contacts picked on All contacts go in; one is taken out; the list is deleted, its contacts stay", async () => {
  await page.getByRole("link", { name: "All contacts" }).click();
  await rowOf("Omar").waitFor();
  await rowOf("Omar").getByRole("checkbox").check();
  await page.getByTestId("add-to-list").waitFor();
  await pick(page, "Pick a list", "Riyadh fair");
  await page.getByRole("button", { name: "Add to list" }).click();
  await page.getByTestId("add-to-list").waitFor({ state: "detached" });
  await page.getByRole("link", { name: "Lists" }).click();
  await page.getByTestId("list-count").filter({ hasText: "3" }).waitFor();
  await page.getByTestId("list-name").filter({ hasText: "Riyadh fair" }).click();
  await rowOf("Omar").getByRole("button", { name: "Take Omar out of the list" }).click();
  await page.locator(".p-confirm-dialog").getByRole("button", { name: "Take out" }).click();
  await page.getByTestId("list-members").filter({ hasText: "2 members" }).waitFor();
  await rowOf("Omar").waitFor({ state: "detached" });
  await page.getByRole("button", { name: "Delete Riyadh fair" }).click();
  await page.locator(".p-confirm-dialog").getByRole("button", { name: "Delete" }).click();
  await page.waitForURL(/\/contacts\/lists$/);
  await page.getByTestId("no-lists").waitFor();
  assert.equal((await contacts()).length, 3, "the contacts stay");
  clean();
});

test("opt-outs: a number opted out by hand, its contact says so; taken off again", async () => {
  await page.getByRole("link", { name: "Opt-outs" }).click();
  await page.getByTestId("no-optouts").waitFor();
  assert.deepEqual(await axe(page), [], "axe-clean, empty");
  await page.getByLabel("Phone", { exact: true }).fill("+966 50 000 0702");
  await page.getByLabel("Reason", { exact: true }).fill("asked on the phone");
  await page.getByRole("button", { name: "Opt out" }).click();
  await page.getByTestId("optout-phone").filter({ hasText: "+966500000702" }).waitFor();
  assert.equal(await page.getByTestId("optout-source").first().textContent(), "Added by hand or API");
  assert.equal(await page.getByLabel("Phone", { exact: true }).inputValue(), "", "the form is cleared");
  await page.getByRole("link", { name: "All contacts" }).click();
  await rowOf("Omar").getByText("Opted out").waitFor();
  await page.getByRole("link", { name: "Opt-outs" }).click();
  await page.getByRole("button", { name: "Take +966500000702 off the list" }).click();
  await page.locator(".p-confirm-dialog").getByRole("button", { name: "Take off" }).click();
  await page.getByTestId("no-optouts").waitFor();
  assert.deepEqual((await api(page, "GET", "/api/v1/opt-outs")).body.optOuts, []);
  clean();
});

for (const mode of [{ name: "arabic", prefs: { theme: "light", language: "ar" } },
  { name: "dark", prefs: { theme: "dark", language: "en" } }, { name: "light", prefs: { theme: "light", language: "en" } }]) {
  test(`contacts, ${mode.name}: contacts, lists, a list and opt-outs render, axe-clean`, async () => {
    if (mode.name === "arabic") {
      const l = (await api(page, "POST", "/api/v1/contact-lists", { name: "عملاء الرياض", description: "من معرض الربيع" })).body;
      await api(page, "POST", `/api/v1/contact-lists/${l.id}/members`, { contactIds: (await contacts()).map((c) => c.id) });
      await api(page, "POST", "/api/v1/opt-outs", { phone: "+966500000799", reason: "طلب ذلك" });
      await api(page, "POST", "/api/v1/contacts", { phone: "+966500000704", name: "هدى العتيبي", tags: ["مميز"], attributes: { city: "الرياض" } });
    }
    await api(page, "PATCH", "/api/v1/settings", { preferences: mode.prefs });
    for (const [route, wait, name] of [["/contacts", "contact-name", "contacts"], ["/contacts/lists", "list-name", "lists"],
      ["/contacts/opt-outs", "optout-phone", "optouts"]]) {
      await go(page, route);
      await page.getByTestId(wait).first().waitFor();
      if (mode.name === "arabic") assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
      const v = await axe(page);
      assert.deepEqual(v, [], `axe-clean, ${name}: ${JSON.stringify(v)}`);
      await shot(page, `${name}-${mode.name}`);
    }
    await go(page, "/contacts/lists");
    await page.getByTestId("list-name").first().click();
    await page.getByTestId("list-members").waitFor();
    await page.getByTestId("contact-name").first().waitFor();
    await settle(page);
    const v = await axe(page);
    assert.deepEqual(v, [], `axe-clean, a list: ${JSON.stringify(v)}`);
    await shot(page, `list-${mode.name}`);
    clean();
  });
}
