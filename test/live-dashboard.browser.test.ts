// In a real headless Chromium: a moderator signs in, opens the live queue and sees a new comment
// arrive without a reload; comment text holding <script> shows as text and never runs.
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './helpers/browser';
import { addOfficer, simulatedComment, startTestStack, type TestStack } from './helpers/stack';

describe('the live dashboard in a browser', () => {
  let stack: TestStack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = await startTestStack();
    await addOfficer(stack.store, 'moderator1', ['moderator']);
    browser = await launchChromium();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('signs in, opens the live page and sees a new item appear', async () => {
    await page.goto(`${stack.server.url}/live`);
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel('Username').fill('moderator1');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/live$/);
    await page.getByText('Live', { exact: true }).waitFor();

    await stack.pipeline.ingest(simulatedComment({ text: 'The potholes on Mill Lane are getting worse' }));
    const row = page.locator('#live-items tr', { hasText: 'The potholes on Mill Lane are getting worse' });
    await row.waitFor({ timeout: 15000 });
    expect(await row.locator('.govuk-tag').innerText()).toBe('No action');
  });

  it('shows comment text holding <script> as text, and the script never runs', async () => {
    const evil = '<script>window.__pwned = true</script><img src=x onerror="window.__pwned=true">Hello';
    await stack.pipeline.ingest(simulatedComment({ text: evil }));
    const cell = page.locator('#live-items td.app-comment-text', { hasText: '<script>window.__pwned = true</script>' });
    await cell.waitFor({ timeout: 15000 });
    expect(await cell.innerText()).toBe(evil);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();

    // And after a reload, the server-rendered list escapes it too.
    await page.reload();
    const again = page.locator('#live-items td.app-comment-text', { hasText: '<script>window.__pwned = true</script>' });
    expect(await again.innerText()).toBe(evil);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
  });
});
