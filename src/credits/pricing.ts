/** The money rule (fixed; external checks rely on it). Pure functions: all credit amounts are integers. */
export interface PricingConfig {
  creditsPerMinute: number;
  minimumCharge: number;
}

/** Credits held when a call is dialled: enough for its whole max duration. */
export function holdFor(maxDurationMinutes: number, pricing: PricingConfig): number {
  return Math.ceil(maxDurationMinutes * pricing.creditsPerMinute);
}

/** Seconds billed for a call Bland reports as `callLengthMinutes` long. */
export function billedSeconds(callLengthMinutes: number | null | undefined): number {
  if (callLengthMinutes === null || callLengthMinutes === undefined || !Number.isFinite(callLengthMinutes))
    return 0;
  return Math.max(0, Math.round(callLengthMinutes * 60));
}

/** Charge for a finished call of `seconds`, capped by what was held. */
export function chargeFor(seconds: number, held: number, pricing: PricingConfig): number {
  const charge =
    seconds > 0
      ? Math.max(pricing.minimumCharge, Math.ceil((seconds * pricing.creditsPerMinute) / 60))
      : pricing.minimumCharge;
  return Math.min(charge, held);
}
