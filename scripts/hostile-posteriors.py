#!/usr/bin/env python3
"""Writes tests/data/hostile-posteriors/: malformed and hostile posterior files,
each a small mutation of scenarios/oujda-posterior.csv (the built-in Oujda
scenario's posterior), and MANIFEST.tsv giving for each file a fragment of the
refusal that `shorecast run --posterior FILE` must print (exit code 2, nothing
written). Run from the repository root; the test
`corpus::every_hostile_posterior_is_refused_with_its_reason` checks them."""

import os

ROOT = os.path.join("tests", "data", "hostile-posteriors")
SHIPPED = open(os.path.join("scenarios", "oujda-posterior.csv"), encoding="utf-8").read()
# The first 40 particles: a valid posterior on its own (each particle replays
# its own past), small enough to keep many copies.
LINES = SHIPPED.splitlines()[:41]
SHIPPED = "\n".join(LINES) + "\n"
HEADER = LINES[0].split(",")

cases = []  # (name, bytes or str, expected fragment)


def case(name, text, fragment):
    cases.append((name, text, fragment))


def cell(column, value, rows=(1,)):
    """The shipped file with `column` set to `value` in the given data rows."""
    c = HEADER.index(column)
    lines = list(LINES)
    for r in rows:
        cells = lines[r].split(",")
        cells[c] = value
        lines[r] = ",".join(cells)
    return "\n".join(lines) + "\n"


EVERY = range(1, len(LINES))

# Values outside the priors' support (the scenario's own limits are wider).
case("firms_per_year_1e9.csv", cell("arrivals.firms_per_year", "1e9"), "outside the input's range")
case("happens_minus_one.csv", cell("firm[ECA Assurances].happens", "-1"), "not 0 or 1")
case("happens_two.csv", cell("firm[ECA Assurances].happens", "2"), "not 0 or 1")
case("happens_half.csv", cell("firm[SACCOM].happens", "0.5"), "not 0 or 1")
case("opens_month_million.csv", cell("firm[Intelcia].opens_month", "1000000"), "outside the input's range")
case("opens_month_fraction.csv", cell("firm[Intelcia].opens_month", "17.5"), "not a whole number")
case("qualified_share_two.csv", cell("labour.qualified_share", "2"), "outside the input's range")
case("uptake_negative.csv", cell("labour.uptake_monthly", "-0.1"), "outside the input's range")
case("seats_negative.csv", cell("firm[ECA Assurances].seats", "-5"), "outside the input's range")
case("value_infinite.csv", cell("attrition.multiplier", "inf"), "not a number")
case("value_nan.csv", cell("attrition.multiplier", "NaN"), "not a number")
case("value_text.csv", cell("closure.monthly_hazard", "high"), "not a number")
# Replay months: the process would allocate or run for that many months.
case("replay_months_u32_max.csv", cell("replay_months", "4294967295", EVERY), "beyond the scenario")
case("replay_months_u64_max.csv", cell("replay_months", "18446744073709551615", EVERY), "too large")
case("replay_months_short.csv", cell("replay_months", "15", EVERY), "history point")
case("replay_months_disagree.csv", cell("replay_months", "15", (2,)), "line 3 gives")
case("seed_disagrees.csv", cell("seed", "1", (3,)), "line 4 gives")
case("seed_negative.csv", cell("seed", "-1"), "not a whole number")
case("stream_fraction.csv", cell("stream", "1.5"), "not a whole number")
# Columns.
swapped = list(HEADER)
a, b = swapped.index("labour.uptake_monthly"), swapped.index("labour.qualified_share")
swapped[a], swapped[b] = swapped[b], swapped[a]
case("swapped_columns.csv", "\n".join([",".join(swapped)] + LINES[1:]) + "\n", "posterior")
dup = list(HEADER)
dup[dup.index("closure.monthly_hazard")] = "attrition.multiplier"
case("duplicated_column.csv", "\n".join([",".join(dup)] + LINES[1:]) + "\n", "appears twice")
case("missing_column.csv", "\n".join(",".join(l.split(",")[:-1]) for l in LINES) + "\n", "has no column closure.monthly_hazard")
case("extra_column.csv", "\n".join([LINES[0] + ",bogus.input"] + [l + ",1" for l in LINES[1:]]) + "\n", "bogus.input")
case("ragged_row.csv", "\n".join(LINES[:5] + [LINES[5] + ",1"] + LINES[6:]) + "\n", "line 6")
case("fixed_columns_renamed.csv", SHIPPED.replace("particle,weight", "particle,wait", 1), "first columns must be")
# Weights and distances.
case("weight_negative.csv", cell("weight", "-1"), "line 2, column weight: -1 is negative")
case("weights_all_zero.csv", cell("weight", "0", EVERY), "positive")
case("distance_negative.csv", cell("distance", "-0.5"), "line 2, column distance")
case("particle_repeated.csv", cell("particle", "0", (2,)), "line 3, column particle")
case("particle_huge.csv", cell("particle", "99999999999999999999"), "line 2, column particle")
# Whole files.
case("empty.csv", "", "first columns must be")
case("header_only.csv", LINES[0] + "\n", "no particles")
case("binary_garbage.csv", bytes(range(256)) * 4, "UTF-8")
case("not_utf8.csv", SHIPPED.encode("utf-8").replace(b"particle", b"partic\xffle", 1), "UTF-8")

os.makedirs(ROOT, exist_ok=True)
for old in os.listdir(ROOT):
    os.remove(os.path.join(ROOT, old))
with open(os.path.join(ROOT, "MANIFEST.tsv"), "w", encoding="utf-8") as manifest:
    manifest.write("# file\tfragment of the refusal of `shorecast run --posterior FILE` (exit code 2)\n")
    for name, text, fragment in cases:
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        with open(os.path.join(ROOT, name), "wb") as f:
            f.write(data)
        manifest.write(f"{name}\t{fragment}\n")
print(f"wrote {len(cases)} files to {ROOT}")
