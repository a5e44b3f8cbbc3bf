import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.js';

/*
 * The local inspection routes (/dev/outbox, /dev/tickets, /dev/clock...) exist only in the local
 * runtime. The deployed HTTP API is synthesised here from the infra code, with every function
 * bundled from a one-line stub so the check stays fast, and its route keys are read back.
 */
let workDir: string;
let routeKeys: string[];
let integrationsText: string;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'ticketline-security-'));
  const consoleDist = join(workDir, 'console-dist');
  mkdirSync(consoleDist);
  writeFileSync(join(consoleDist, 'index.html'), '<!doctype html><title>console</title>');
  const stub = resolve('test/security/fixtures/stub-handler.ts');
  const built = buildApp({
    outdir: join(workDir, 'cdk.out'),
    consoleDistDir: consoleDist,
    functionEntry: () => stub,
    context: { consoleOrigin: 'https://console.example.com', alarmEmail: 'ops@example.com' },
  });
  const template = Template.fromStack(built.stateless);
  const routes = template.findResources('AWS::ApiGatewayV2::Route') as Record<string, { Properties: { RouteKey: string } }>;
  routeKeys = Object.values(routes).map((route) => route.Properties.RouteKey);
  integrationsText = JSON.stringify(template.findResources('AWS::ApiGatewayV2::Integration'));
}, 180_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('deployed HTTP API', () => {
  it('has the public routes (so the check below reads the real API)', () => {
    expect(routeKeys).toContain('POST /tickets');
  });

  it('has no /dev route of any method, and no integration that mentions /dev', () => {
    expect(routeKeys.filter((key) => /\/dev(\/|$|\{)/i.test(key))).toEqual([]);
    expect(integrationsText).not.toMatch(/\/dev\//);
  });

  it('has no catch-all route through which /dev could be reached', () => {
    expect(routeKeys.filter((key) => key === '$default' || /^(ANY|GET|POST) \/\{proxy\+\}$/.test(key))).toEqual([]);
  });
});
