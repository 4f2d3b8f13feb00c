/**
 * The timestamp window's quick path (issue 17) against the rule of contract §3 worked out here in
 * BigInt nanoseconds: a timestamp in unit u stands for [v·u, v·u + u), and is accepted when some
 * instant of that interval lies within maxSkewSeconds of now (at the clock's µs resolution).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkTimestampWindow } from '../../src/verify/timestamp-window.js';

function expected(digits: string, nowMs: number, skewS: number): boolean {
  const v = BigInt(digits);
  const unit =
    v < 10n ** 11n ? 10n ** 9n : v < 10n ** 14n ? 10n ** 6n : v < 10n ** 17n ? 1000n : 1n;
  const from = v * unit;
  const to = from + unit - 1n;
  const now = BigInt(Math.floor(nowMs * 1000)) * 1000n;
  const skew = BigInt(Math.round(skewS * 1e9));
  return now - to <= skew && from - now <= skew;
}

function actual(digits: string, nowMs: number, skewS: number): boolean {
  try {
    checkTimestampWindow(digits, nowMs, skewS);
    return true;
  } catch {
    return false;
  }
}

const W = suite('timestamp window: quick path agrees with the exact rule');

W('seconds and milliseconds around every edge, fractional clocks, small and large skews', () => {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  let checked = 0;
  for (const skew of [0, 0.5, 1, 1.001, 5, 30, 300]) {
    for (let i = 0; i < 4000; i++) {
      const nowMs = 1_700_000_000_000 + Math.floor(random() * 1e6) + (i % 3 ? random() : 0);
      const offsetMs = (random() * 2 - 1) * (skew * 1000 + 3000);
      const ms = Math.floor(nowMs + offsetMs);
      for (const digits of [String(ms), String(Math.floor(ms / 1000))]) {
        assert.is(
          actual(digits, nowMs, skew),
          expected(digits, nowMs, skew),
          `${digits} ${nowMs} ${skew}`,
        );
        checked++;
      }
    }
  }
  assert.ok(checked > 50_000);
});

W.run();
