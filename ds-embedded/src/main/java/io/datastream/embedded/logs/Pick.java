package io.datastream.embedded.logs;

import java.util.SplittableRandom;

/** Random choices with the skew real traffic has. */
final class Pick {
    private Pick() {
    }

    /** An index in [0, n) where low indexes are much more likely (roughly Zipf with s = 1). */
    static int skewed(SplittableRandom rnd, int n) {
        // inverse of the continuous 1/x density on [1, n + 1)
        double u = rnd.nextDouble();
        int i = (int) Math.floor(Math.exp(u * Math.log(n + 1.0))) - 1;
        return Math.min(Math.max(i, 0), n - 1);
    }

    /** An index chosen with the weights that {@link #cumulative} turned into running sums. */
    static int weighted(SplittableRandom rnd, int[] cumulative) {
        int x = rnd.nextInt(cumulative[cumulative.length - 1]);
        for (int i = 0; i < cumulative.length; i++) {
            if (x < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    /** Running sums of {@code weights} (positive numbers), for {@link #weighted}. */
    static int[] cumulative(int... weights) {
        int[] c = new int[weights.length];
        int sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            c[i] = sum;
        }
        return c;
    }

    /** A positive value around {@code median}, long-tailed like sizes and latencies are. */
    static long logNormal(SplittableRandom rnd, double median, double sigma) {
        // Box-Muller
        double g = Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
        return Math.max(1, Math.round(median * Math.exp(sigma * g)));
    }
}
