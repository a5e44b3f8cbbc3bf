import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { LocalDesk } from '../../local/runtime.js';
import { issueLocalToken } from '../../shared/http/local-tokens.js';

/** Debian's Chromium: the e2e tests drive the browser people use, not a downloaded build. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = resolve('test-artifacts/screenshots');

export class BrowserSetupError extends Error {
  override name = 'BrowserSetupError';
  constructor(
    message: string,
    readonly executable: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Installs Chromium with apt when the binary is missing (CI runs as root on Debian). `apt-get
 * update` only runs when an install is needed, so a prepared machine never touches the network.
 * A CJK font comes along so Chinese screens in the screenshots are readable.
 */
export function ensureChromium(executable = CHROMIUM_PATH): string {
  if (existsSync(executable)) return executable;
  try {
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei', { stdio: 'inherit', timeout: 600_000 });
  } catch (cause) {
    throw new BrowserSetupError(`Chromium is missing at ${executable} and could not be installed (apt-get install chromium needs root)`, executable, { cause });
  }
  if (!existsSync(executable)) throw new BrowserSetupError(`apt-get installed chromium, but ${executable} does not exist`, executable);
  return executable;
}

export interface RunningBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with a throw-away profile and everything that phones home turned off.
 * The profile lives in a fresh temporary folder (Playwright's persistent context is how it takes a
 * --user-data-dir) removed on close.
 */
export async function launchBrowser(options: { viewport?: { width: number; height: number }; locale?: string } = {}): Promise<RunningBrowser> {
  const executablePath = ensureChromium();
  const profile = mkdtempSync(join(tmpdir(), 'ticketline-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: options.viewport ?? { width: 1280, height: 900 },
    locale: options.locale ?? 'en-US',
    // axe-core is injected as an inline script, which the pages' strict CSP would block. Without
    // the CSP the XSS checks are stricter too: escaping alone must stop injected markup.
    bypassCSP: true,
  });
  // Playwright's 30 s defaults are too tight when the machine is busy; a timeout only bounds a hang.
  context.setDefaultTimeout(90_000);
  context.setDefaultNavigationTimeout(120_000);
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot as test-artifacts/screenshots/<name>.png and returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9._-]+/gi, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; html: string }>;
}

const axeSource = (): string => (createRequire(import.meta.url)('axe-core') as { source: string }).source;

/** Runs axe-core in the page and returns the serious and critical violations (an empty list passes). */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  // Strings, not functions: the test code is type-checked without the DOM library.
  const injected = await page.evaluate<boolean>('typeof window.axe !== "undefined"');
  if (!injected) await page.addScriptTag({ content: axeSource() });
  const violations = await page.evaluate<AxeViolation[]>(`axe.run(document, { resultTypes: ['violations'] }).then((result) =>
    result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html })) })))`);
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/** Fails the test with the page's serious and critical axe violations, if any. */
export async function expectAccessible(page: Page): Promise<void> {
  const violations = await seriousAccessibilityViolations(page);
  expect(violations.map((violation) => `${violation.id}: ${violation.help} ${JSON.stringify(violation.nodes.map((node) => node.target))}`)).toEqual([]);
}

/** Opens the console as `agentId` in `language`: a local token in its session, or the local sign-in screen where the runtime routes it. */
export async function signInToConsole(page: Page, desk: LocalDesk, agentId: string, language: 'en' | 'zh-CN'): Promise<void> {
  const agent = desk.runtime.config.agents.find((candidate) => candidate.id === agentId)!;
  const token = await issueLocalToken(agent, desk.localJwtSecret);
  await page.goto(`${desk.url}/console/`);
  await page.evaluate(`localStorage.setItem('ticketline.lang', ${JSON.stringify(language)})`);
  await page.evaluate(`localStorage.setItem('ticketline.session', ${JSON.stringify(JSON.stringify({ accessToken: token, expiresAt: Date.now() + 3_600_000 }))})`);
  const signInRouted = (await fetch(`${desk.url}/api/v1/local/agents`)).ok;
  await page.goto(`${desk.url}/console/`);
  if (signInRouted && (await page.locator('select#agent').count()) > 0) {
    await page.locator('select#agent').selectOption(agentId);
    await page.locator('form button[type=submit]').click();
  }
  await page.locator('header.top .who').waitFor();
}

export { ensureConsoleBuilt } from '../../scripts/ensure-console.js';

/** Chromium's version string, for test names and failure messages. */
export function chromiumVersion(executable = CHROMIUM_PATH): string {
  try {
    return execFileSync(executable, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}
