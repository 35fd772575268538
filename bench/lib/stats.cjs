/** Small statistics helpers for the benchmark: medians with their spread, percentiles, ratios. */

/** The value at quantile `q` (0..1) of `values` (nearest rank on a sorted copy). */
function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** `{ median, min, max }` of `values`, rounded to `digits` decimals. */
function spread(values, digits = 2) {
  const round = (x) => Number(x.toFixed(digits));
  return {
    median: round(quantile(values, 0.5)),
    min: round(Math.min(...values)),
    max: round(Math.max(...values)),
  };
}

/** Formats a spread as `median (min–max)`. */
function formatSpread({ median, min, max }) {
  return `${median} (${min}–${max})`;
}

module.exports = { quantile, spread, formatSpread };
