"""Small statistics for tallies: how sure a score from a sample of cases is."""

from __future__ import annotations

import math

Z_95 = 1.959963984540054  # the 97.5th percentile of the standard normal distribution


def wilson_interval(positive: int, total: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval for `positive` of `total`, as percentages; None when total is 0.

    With p = positive / total and n = total (Wilson, 1927):

        centre = (p + z²/2n) / (1 + z²/n)
        half   = z / (1 + z²/n) * sqrt(p(1 - p)/n + z²/4n²)

    and the interval is centre ± half, clipped to 0..100. The default z gives 95 % confidence.
    Unlike the normal approximation it stays inside 0..100 and is not empty at 0 or n of n.
    """
    if isinstance(positive, bool) or isinstance(total, bool):
        raise TypeError("positive and total must be whole numbers")
    if total < 0 or positive < 0 or positive > total:
        raise ValueError(f"need 0 <= positive <= total, not {positive} of {total}")
    if not z > 0:
        raise ValueError(f"z must be positive, not {z!r}")
    if total == 0:
        return None
    n = total
    p = positive / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    low = max(0.0, centre - half)
    high = min(1.0, centre + half)
    if positive == 0:
        low = 0.0
    if positive == total:
        high = 1.0
    return 100.0 * low, 100.0 * high
