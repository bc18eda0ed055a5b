#!/usr/bin/env bash
# Statistical agreement of two shorecast binaries whose random streams differ
# (say 0.1 and 0.2): the Oujda scenario under ten seeds for each, then, for six
# series at every month, the mean and five quantiles compared seed by seed (a
# paired t statistic with 9 degrees of freedom: the seeds share the parameter
# draws, so the pairs are correlated and the paired test is the sharper one).
#
# Usage: scripts/version-agreement.sh OLD_BINARY NEW_BINARY [PATHS_PER_SEED] [RUN_ARGS...]
# RUN_ARGS go to both runs: `--prior` compares the models from the priors,
# as two posteriors made by different versions hold different particles.
# Needs python3. Writes into a temporary folder; prints a one-line verdict.
set -euo pipefail
old=$1
new=$2
paths=${3:-40000}
shift $(($# < 3 ? $# : 3))
work=$(mktemp -d)
for seed in $(seq 101 110); do
  for which in old new; do
    "${!which}" run --paths "$paths" --seed "$seed" --no-charts --quiet "$@" \
      --out "$work/$which-$seed" >/dev/null
  done
done
python3 - "$work" <<'EOF'
import csv, math, statistics as st, sys
work = sys.argv[1]
def load(which, seed):
    with open(f"{work}/{which}-{seed}/quantiles.csv") as f:
        return {(r["series"], int(r["month"])): r for r in csv.DictReader(f)}
seeds = range(101, 111)
old = [load("old", s) for s in seeds]
new = [load("new", s) for s in seeds]
ts = []
for series in ["headcount", "pool", "hires", "leavers", "vacancies", "firms"]:
    for month in range(1, max(m for _, m in old[0]) + 1):
        for stat in ["mean", "p05", "p25", "p50", "p75", "p95"]:
            d = [float(n[(series, month)][stat]) - float(o[(series, month)][stat])
                 for o, n in zip(old, new)]
            if st.stdev(d) > 0:
                ts.append(st.mean(d) / (st.stdev(d) / math.sqrt(len(d))))
print(f"{len(ts)} paired t statistics (9 df): sd {st.stdev(ts):.3f} (t9: 1.134); "
      f"|t| > 2.262 (5%): {sum(abs(t) > 2.262 for t in ts)} (expected {0.05 * len(ts):.0f}); "
      f"|t| > 4.781 (0.1%): {sum(abs(t) > 4.781 for t in ts)}; "
      f"largest |t| {max(abs(t) for t in ts):.2f}")
EOF
rm -rf "$work"
