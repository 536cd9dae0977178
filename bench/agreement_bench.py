"""Agreement at scale: Krippendorff's alpha and the pairwise kappa matrix.

50 annotators, 100,000 items, 3 votes per item (sparse), three preference
categories and the seven-step strength scale. Our alpha is timed next to the
`krippendorff` package on the same data in the same run (the package wants a
coders x units matrix with NaN for missing votes, and defaults to the
interval level, so the level is given explicitly). The kappa matrix is timed
next to a loop of sklearn's `cohen_kappa_score` over a sample of pairs,
scaled to all 1,225 pairs.

    .venv/bin/python bench/agreement_bench.py [--items N] [--raters R] [--repeat K]
"""

from __future__ import annotations

import argparse
import time
from itertools import combinations

import numpy as np

from rationale.agreement import Ratings, cohen_kappa_matrix, krippendorff_alpha


def best_of(repeat: int, fn):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def synthetic(n_items: int, n_raters: int, votes: int, k: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, k, n_items)
    matrix = np.full((n_items, n_raters), -1, dtype=np.int64)
    raters = np.argsort(rng.random((n_items, n_raters)), axis=1)[:, :votes]
    noisy = rng.random((n_items, votes)) < 0.35
    labels = np.where(noisy, rng.integers(0, k, (n_items, votes)), truth[:, None])
    matrix[np.arange(n_items)[:, None], raters] = labels
    return matrix


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--raters", type=int, default=50)
    parser.add_argument("--votes", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import krippendorff
    from sklearn.metrics import cohen_kappa_score

    print(f"{args.raters} annotators, {args.items:,} items, {args.votes} votes per item; best of {args.repeat}")
    print(f"{'measure':<54}{'ours':>10}{'baseline':>12}{'ratio':>8}   values (ours / baseline)")
    for name, k, level in (("preference (3 categories)", 3, "nominal"), ("strength (7 steps)", 7, "ordinal")):
        matrix = synthetic(args.items, args.raters, args.votes, k, seed=k)
        reliability = np.where(matrix < 0, np.nan, matrix).T.astype(np.float64)  # coders x units

        def ours_alpha():
            return krippendorff_alpha(Ratings.from_matrix(matrix, range(k)), level=level, samples=0).value

        def package_alpha():
            return krippendorff.alpha(reliability, level_of_measurement=level, value_domain=list(range(k)))

        t_ours, a_ours = best_of(args.repeat, ours_alpha)
        t_pkg, a_pkg = best_of(args.repeat, package_alpha)
        print(
            f"{'alpha ' + level + ', ' + name:<54}{t_ours:>9.3f}s{t_pkg:>11.3f}s{t_ours / t_pkg:>7.2f}x"
            f"   {a_ours:.6f} / {a_pkg:.6f}  (baseline: krippendorff package)"
        )

        weights = None if level == "nominal" else "quadratic"

        def ours_kappa():
            return cohen_kappa_matrix(Ratings.from_matrix(matrix, range(k)), weights=weights, samples=0)

        t_kappa, km = best_of(args.repeat, ours_kappa)
        pairs = list(combinations(range(args.raters), 2))
        sample = pairs[:: max(1, len(pairs) // 50)]
        start = time.perf_counter()
        agree = 0.0
        for i, j in sample:
            both = (matrix[:, i] >= 0) & (matrix[:, j] >= 0)
            ref = cohen_kappa_score(matrix[both, i], matrix[both, j], weights=weights, labels=list(range(k)))
            agree = max(agree, abs(ref - km.values[i, j]))
        t_sklearn = (time.perf_counter() - start) / len(sample) * len(pairs)
        print(
            f"{'kappa matrix (' + str(weights or 'unweighted') + '), ' + name:<54}{t_kappa:>9.3f}s{t_sklearn:>11.3f}s"
            f"{t_kappa / t_sklearn:>7.2f}x   max |ours - sklearn| = {agree:.1e} over {len(sample)} pairs"
            " (baseline: sklearn loop, scaled to all pairs)"
        )
        print(
            f"{'alpha + kappa matrix, ' + name:<54}{t_ours + t_kappa:>9.3f}s{t_pkg:>11.3f}s"
            f"{(t_ours + t_kappa) / t_pkg:>7.2f}x   (baseline: krippendorff package alpha alone)"
        )

    matrix = synthetic(args.items, args.raters, args.votes, 3, seed=3)
    start = time.perf_counter()
    est = krippendorff_alpha(Ratings.from_matrix(matrix, range(3)), samples=200)
    print(f"bootstrap interval for alpha (200 resamples over {args.items:,} items): {time.perf_counter() - start:.2f}s "
          f"[{est.low:.4f}, {est.high:.4f}]")


if __name__ == "__main__":
    main()
