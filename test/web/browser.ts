/**
 * Debian's chromium for the browser tests (installed by .ci/run; playwright-core
 * never downloads one): its path, whether it is there, the test that fails the
 * suite when it is missing (instead of skipping), and the launch flags that keep
 * it off the network.
 */
import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Registers, in the calling test file, the test that fails when chromium is missing. */
export function requireChromium(): void {
  it(`has Debian's chromium at ${CHROMIUM}`, () => {
    expect(haveChromium, `${CHROMIUM} is missing: apt-get install -y chromium`).toBe(true);
  });
}
