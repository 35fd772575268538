/** Small statistics helpers for the benchmark: medians with their spread, percentiles, ratios. */

/** The value at quantile `q` (0..1) of `values` (nearest rank on a sorted copy). */
function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/**
 * `{ median, q1, q3, min, max, n }` of `values`, rounded to `digits` decimals: the quartiles are
 * the noise of a figure (half its runs fall between them), min–max its range.
 */
function spread(values, digits = 2) {
  const round = (x) => Number(x.toFixed(digits));
  return {
    median: round(quantile(values, 0.5)),
    q1: round(quantile(values, 0.25)),
    q3: round(quantile(values, 0.75)),
    min: round(Math.min(...values)),
    max: round(Math.max(...values)),
    n: values.length,
  };
}

/** Formats a spread as `median (min–max)`. */
function formatSpread({ median, min, max }) {
  return `${median} (${min}–${max})`;
}

/** Formats a spread with its noise: `median (quartiles q1–q3, range min–max, n runs)`. */
function formatNoise({ median, q1, q3, min, max, n }, unit = '') {
  return `${median}${unit} (quartiles ${q1}–${q3}, range ${min}–${max}, n ${n})`;
}

module.exports = { quantile, spread, formatSpread, formatNoise };
