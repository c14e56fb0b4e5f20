import { describe, expect, it } from 'vitest';
import { medianInterval } from '../../../bench/lib';

/** A seeded uniform [0, 1) source (mulberry32), so the coverage check below is the same every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const shuffled = (n: number): number[] => Array.from({ length: n }, (_, i) => ((i * 7) % n) + 1);

describe('medianInterval', () => {
  it('takes the 3rd smallest and 3rd largest of 12 values for 95 %, covering 1 - 2·79/4096', () => {
    const xs = shuffled(12);
    expect(medianInterval(xs)).toEqual({ low: 3, high: 10, coverage: 1 - (2 * 79) / 4096 });
    expect(xs).toEqual(shuffled(12)); // not sorted in place
  });

  it('takes the 7th from each end of 24 values', () => {
    const i = medianInterval(shuffled(24))!;
    expect([i.low, i.high]).toEqual([7, 18]);
    // P(B <= 6) for B ~ Binomial(24, 1/2): (1 + 24 + 276 + 2024 + 10626 + 42504 + 134596) / 2^24
    expect(i.coverage).toBeCloseTo(1 - (2 * 190051) / 2 ** 24, 12);
  });

  it('needs 6 values for 95 % (then min and max), and says so below that', () => {
    expect(medianInterval(shuffled(5))).toBeUndefined();
    expect(medianInterval([])).toBeUndefined();
    expect(medianInterval(shuffled(6))).toEqual({ low: 1, high: 6, coverage: 1 - 2 / 64 });
  });

  it('narrows for a lower level', () => {
    const i = medianInterval(shuffled(12), 0.5)!;
    expect([i.low, i.high]).toEqual([5, 8]); // P(B <= 4) = 794/4096 <= 0.25 < P(B <= 5)
  });

  it('holds the true median of a skewed distribution as often as it says', () => {
    const random = seeded(7);
    const trueMedian = Math.LN2; // of the unit exponential
    let held = 0;
    const trials = 4000;
    for (let t = 0; t < trials; t++) {
      const xs = Array.from({ length: 12 }, () => -Math.log(1 - random()));
      const i = medianInterval(xs)!;
      if (i.low <= trueMedian && trueMedian <= i.high) held++;
    }
    // Stated 0.961; the standard error over 4000 trials is 0.003. One index off would give 0.854 or 0.994.
    expect(held / trials).toBeGreaterThan(0.945);
    expect(held / trials).toBeLessThan(0.977);
  });
});
