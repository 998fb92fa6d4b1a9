import { billedSeconds, chargeFor, holdFor } from '../../../src/credits/pricing.js';

const pricing = { creditsPerMinute: 12, minimumCharge: 1 };

describe('the money rule', () => {
  it('holds ceil(max_duration_minutes * CREDITS_PER_MINUTE)', () => {
    expect(holdFor(10, pricing)).toBe(120);
    expect(holdFor(1, pricing)).toBe(12);
    expect(holdFor(3, { creditsPerMinute: 2.5, minimumCharge: 1 })).toBe(8);
  });

  it.each([
    [0, 1], // no talk time still costs the minimum
    [1, 1], // ceil(1 * 12 / 60) = 1
    [59, 12], // ceil(11.8)
    [60, 12],
    [61, 13], // ceil(12.2)
    [90, 18],
  ])('charges %i s as %i credits', (seconds, credits) => {
    expect(chargeFor(seconds, 120, pricing)).toBe(credits);
  });

  it('never charges more than the hold', () => {
    expect(chargeFor(3_600, 120, pricing)).toBe(120);
  });

  it('turns Bland call_length minutes into whole seconds', () => {
    expect(billedSeconds(1.5)).toBe(90);
    expect(billedSeconds(0.0166)).toBe(1);
    expect(billedSeconds(null)).toBe(0);
    expect(billedSeconds(Number.NaN)).toBe(0);
    expect(billedSeconds(-2)).toBe(0);
  });
});
