#!/usr/bin/env python3
"""Writes tests/data/hostile/: malformed and hostile scenario files, each a small
mutation of tests/data/valid/minimal.toml, and MANIFEST.tsv giving for each file
the exit code of `shorecast validate` and the key its first expected problem names
("-" for files that must be accepted). Run from the repository root; the test
`corpus::every_hostile_file_gets_its_exit_code_and_key` checks them."""

import os

ROOT = os.path.join("tests", "data", "hostile")
MINIMAL = open(os.path.join("tests", "data", "valid", "minimal.toml"), encoding="utf-8").read()
BIG = "99999999999999999999"

cases = []  # (name, bytes or str, code, key)


def case(name, text, code, key):
    cases.append((name, text, code, key))


def sub(old, new, extra=""):
    assert old in MINIMAL, old
    return MINIMAL.replace(old, new, 1) + extra


# Unknown keys, everywhere.
for section, line in [
    ("scenario", 'name = "Minimal"'),
    ("target", "headcount = 1000"),
    ("firm[1]", "seats = 500"),
]:
    case(f"unknown_key_{section.split('[')[0]}", sub(line, line + "\nbogus = 1"), 2, f"{section}.bogus")
for section in ["labour", "arrivals", "training", "attrition", "closure", "expansion", "simulation"]:
    case(f"unknown_key_{section}", MINIMAL + f"\n[{section}]\nbogus = 1\n", 2, f"{section}.bogus")
case("unknown_top_level_table", MINIMAL + "\n[bogus]\nx = 1\n", 2, "bogus")

# Wrong types.
wrong = {"text": '"ten"', "bool": "true", "list": "[1, 2]", "date": "2021-01-01", "table": "{ a = 1 }"}
for kind, value in wrong.items():
    case(f"seats_as_{kind}", sub("seats = 500", f"seats = {value}"), 2, "firm[1].seats")
    case(f"target_month_as_{kind}", sub("month = 12", f"month = {value}"), 2, "target.month")
case("name_as_number", sub('name = "Minimal"', "name = 5"), 2, "scenario.name")
case("start_as_date", sub('start = "2021-01"', "start = 2021-01-01"), 2, "scenario.start")
case("firm_as_string", sub("[[firm]]\nname = \"Only site\"\nseats = 500\nheadcount = 100\nramp_months = 6\n", "firm = \"x\"\n"), 2, "firm")
case("scenario_as_string", 'scenario = "x"\n' + MINIMAL.replace("[scenario]\nname = \"Minimal\"\nstart = \"2021-01\"\n", ""), 2, "scenario")

# Out-of-range numbers.
for value in ["-5", "0", "1e308", "inf", "-inf", "nan", "0.5", BIG, "-" + BIG, "9223372036854775807"]:
    tag = value.replace("-", "minus_").replace(".", "_").replace("9223372036854775807", "i64max")
    if value == BIG:
        tag = "above_2_63"
    if value == "-" + BIG:
        tag = "below_minus_2_63"
    case(f"seats_{tag}", sub("seats = 500", f"seats = {value}"), 2, "firm[1].seats")
for key, value in [("horizon_months", "0"), ("horizon_months", "601"), ("horizon_months", BIG)]:
    case(f"horizon_{value[:6]}", sub('start = "2021-01"', f'start = "2021-01"\n{key} = {value}'), 2, "scenario.horizon_months")
for value in ["0", "-1", BIG, "1.5"]:
    case(f"target_headcount_{value[:6].replace('.', '_').replace('-', 'minus_')}", sub("headcount = 1000", f"headcount = {value}"), 2, "target.headcount")
for value in ["37", "100", "-3", BIG]:
    case(f"target_month_{value[:6].replace('-', 'minus_')}", sub("month = 12", f"month = {value}"), 2, "target.month")
for key in ["paths", "seed"]:
    for value in ["-1", BIG, "1.5", '"x"']:
        tag = {"-1": "negative", BIG: "huge", "1.5": "fraction", '"x"': "text"}[value]
        case(f"simulation_{key}_{tag}", MINIMAL + f"\n[simulation]\n{key} = {value}\n", 2, f"simulation.{key}")
case("simulation_paths_zero", MINIMAL + "\n[simulation]\npaths = 0\n", 2, "simulation.paths")
for key in ["uptake_monthly", "qualified_share", "reach_share", "pool_exit_monthly"]:
    for value in ["1.5", "-0.1", "nan", "1e308"]:
        tag = {"1.5": "above_one", "-0.1": "negative", "nan": "nan", "1e308": "huge"}[value]
        case(f"labour_{key}_{tag}", MINIMAL + f"\n[labour]\n{key} = {value}\n", 2, f"labour.{key}")
for key, value in [("initial_pool", "-1"), ("initial_pool", BIG), ("graduates_per_year", "-5"), ("graduates_per_year", "1e308")]:
    case(f"labour_{key}_{'huge' if value in (BIG, '1e308') else 'negative'}", MINIMAL + f"\n[labour]\n{key} = {value}\n", 2, f"labour.{key}")
for key, value in [("growth", "1e308"), ("growth", "-1"), ("monthly_probability", "2")]:
    case(f"expansion_{key}_{'bad' if value != '1e308' else 'huge'}", MINIMAL + f"\n[expansion]\n{key} = {value}\n", 2, f"expansion.{key}")
for key in ["hazard_new", "hazard_settled", "hazard_veteran"]:
    case(f"attrition_{key}_above_one", MINIMAL + f"\n[attrition]\n{key} = 3\n", 2, f"attrition.{key}")
case("closure_hazard_negative", MINIMAL + "\n[closure]\nmonthly_hazard = -0.5\n", 2, "closure.monthly_hazard")
case("arrivals_rate_huge", MINIMAL + "\n[arrivals]\nfirms_per_year = 1e308\n", 2, "arrivals.firms_per_year")
case("training_per_year_negative", MINIMAL + "\n[training]\nper_year = -10\n", 2, "training.per_year")

# Distributions.
dists = {
    "unknown_dist": ('{ dist = "cauchy", min = 1, max = 2 }', "firm[1].seats.dist"),
    "no_dist_key": ("{ min = 1, max = 2 }", "firm[1].seats"),
    "dist_not_text": ("{ dist = 3, min = 1, max = 2 }", "firm[1].seats"),
    "uniform_min_above_max": ('{ dist = "uniform", min = 600, max = 500 }', "firm[1].seats"),
    "uniform_missing_max": ('{ dist = "uniform", min = 600 }', "firm[1].seats.max"),
    "pert_mode_outside": ('{ dist = "pert", min = 100, mode = 900, max = 500 }', "firm[1].seats"),
    "pert_nan": ('{ dist = "pert", min = nan, mode = 200, max = 500 }', "firm[1].seats"),
    "triangular_inf": ('{ dist = "triangular", min = 1, mode = 2, max = inf }', "firm[1].seats"),
    "normal_unbounded": ('{ dist = "normal", mean = 500, sd = 50 }', "firm[1].seats"),
    "normal_negative_sd": ('{ dist = "normal", mean = 500, sd = -5, min = 1, max = 900 }', "firm[1].seats"),
    "lognormal_bad": ('{ dist = "lognormal", median = -300, p90 = 800, min = 50, max = 2000 }', "firm[1].seats"),
    "dist_extra_key": ('{ dist = "uniform", min = 400, max = 500, mode = 450 }', "firm[1].seats.mode"),
    "dist_huge_range": (f'{{ dist = "uniform", min = 1, max = {BIG} }}', "firm[1].seats"),
    "dist_min_text": ('{ dist = "uniform", min = "1", max = 500 }', "firm[1].seats.min"),
}
for tag, (value, key) in dists.items():
    case(f"dist_{tag}", sub("seats = 500", f"seats = {value}"), 2, key)

# Firms.
case("two_firms_same_name", MINIMAL + '\n[[firm]]\nname = "Only site"\nseats = 5\nramp_months = 1\n', 2, "firm[2].name")
case("firm_empty_name", sub('name = "Only site"', 'name = "   "'), 2, "firm[1].name")
case("firm_missing_seats", sub("seats = 500\n", ""), 2, "firm[1].seats")
case("firm_headcount_above_seats", sub("headcount = 100\nramp", "headcount = 900\nramp"), 2, "firm[1].headcount")
case("firm_bad_group", sub("seats = 500", 'seats = 500\ngroup = "rumoured"'), 2, "firm[1].group")
case("firm_probability_two", sub("seats = 500", "seats = 500\nprobability = 2"), 2, "firm[1].probability")
case("no_firm", MINIMAL.split("[[firm]]")[0], 2, "firm")
case("too_many_firms", MINIMAL + "".join(f'\n[[firm]]\nname = "S{i}"\nseats = 5\nramp_months = 1\n' for i in range(1000)), 2, "firm")

# Policies.
for value, tag in [("1e308", "huge"), ("inf", "inf"), ("nan", "nan"), ("-1", "negative"), ('"cheap"', "text"), ("1e13", "above_cap")]:
    case(f"policy_cost_{tag}", MINIMAL + f'\n[[policy]]\nname = "P"\ncost_mad_per_year = {value}\n', 2, "policy[1].cost_mad_per_year")
case("policy_no_name", MINIMAL + "\n[[policy]]\nset.training.per_year = 10\n", 2, "policy[1].name")
case("policy_duplicate_names", MINIMAL + '\n[[policy]]\nname = "P"\n[[policy]]\nname = "P"\n', 2, "policy[2].name")
case("policy_sets_target", MINIMAL + '\n[[policy]]\nname = "P"\nset.target.month = 3\n', 2, "policy[1].set.target")
case("policy_sets_calibration", MINIMAL + '\n[[policy]]\nname = "P"\nset.calibration.particles = 500\n', 2, "policy[1].set.calibration")
# History points outside the simulated months, or two for one month.
case("history_after_horizon", MINIMAL + '\n[[history]]\ndate = "2031-01"\nheadcount = 100\n', 2, "history[1].date")
case("history_same_month_twice", MINIMAL + '\n[[history]]\ndate = "2021-06"\nheadcount = 100\n[[history]]\ndate = "2021-06"\nheadcount = 120\n', 2, "history[2].date")
case("policy_set_unknown_key", MINIMAL + '\n[[policy]]\nname = "P"\nset.labour.bogus = 3\n', 2, "policy[1].set.labour.bogus")
case("policy_set_out_of_range", MINIMAL + '\n[[policy]]\nname = "P"\nset.labour.reach_share = 2\n', 2, "policy[1].set.labour.reach_share")
case("policy_set_not_table", MINIMAL + '\n[[policy]]\nname = "P"\nset = 3\n', 2, "policy[1].set")
case("policy_not_table", "policy = [1, 2]\n" + MINIMAL, 2, "policy[1]")
case("policy_and_base_broken", sub("seats = 500", "seats = -5") + '\n[[policy]]\nname = "P"\nset.labour.reach_share = 2\n', 2, "policy[1].set.labour.reach_share")
case("policy_unknown_key", MINIMAL + '\n[[policy]]\nname = "P"\ncost_per_year = 5\n', 2, "policy[1].cost_per_year")

# Syntax.
case("empty_file", "", 2, "scenario")
case("only_comments", "# nothing here\n# at all\n", 2, "scenario")
case("unclosed_string", sub('name = "Minimal"', 'name = "Minimal'), 2, "syntax")
case("duplicate_key", sub('name = "Minimal"', 'name = "Minimal"\nname = "Again"'), 2, "syntax")
case("duplicate_table", MINIMAL + "\n[target]\nmonth = 3\n", 2, "syntax")
case("nul_in_string", sub('name = "Minimal"', 'name = "Mini\x00mal"'), 2, "syntax")
case("bad_escape", sub('name = "Minimal"', 'name = "Mini\\qmal"'), 2, "syntax")
case("deep_array", "x = " + "[" * 5000 + "]" * 5000 + "\n", 2, "syntax")
case("deep_inline_table", "x = " + "{a=" * 5000 + "1" + "}" * 5000 + "\n", 2, "syntax")
case("hex_too_big", sub("seats = 500", "seats = 0xFFFFFFFFFFFFFFFFFF"), 2, "syntax")
case("not_utf8", MINIMAL.replace("Minimal", "Caf\udce9").encode("utf-8", "surrogateescape"), 2, "UTF-8")
case("binary_garbage", bytes(range(256)) * 4, 2, "UTF-8")

# Many problems at once (linear reporting).
case("ten_thousand_unknown_keys", sub('name = "Minimal"', 'name = "Minimal"\n' + "".join(f"k{i} = 1\n" for i in range(10000))), 2, "scenario.k0")

# Hostile but valid: accepted, and safe when shown.
for tag, name in [
    ("escape_sequences", "Evil\\u001b]0;title\\u0007\\u001b[2J"),
    ("formula_plus", "+cmd|' /C calc'!A0"),
    ("formula_equals", '=HYPERLINK(\\"http://x\\",\\"y\\")'),
    ("bidi_override", "abc\\u202edcba"),
    ("very_long_name", "N" * 20000),
    ("unicode_name", "Oujda \u0648\u062c\u062f\u0629 \U0001F4DE"),
]:
    case(f"valid_{tag}", sub('name = "Minimal"', f'name = "{name}"'), 0, "-")
case("valid_bom", "\ufeff" + MINIMAL, 0, "-")
case("valid_crlf", MINIMAL.replace("\n", "\r\n"), 0, "-")
case("valid_largest_seed", MINIMAL + "\n[simulation]\nseed = 9223372036854775807\n", 0, "-")
case("valid_largest_costs", MINIMAL + '\n[[policy]]\nname = "P"\ncost_mad_per_year = 1e12\ncost_mad_per_hire = 1e12\n', 0, "-")

os.makedirs(ROOT, exist_ok=True)
for old in os.listdir(ROOT):
    os.remove(os.path.join(ROOT, old))
names = set()
with open(os.path.join(ROOT, "MANIFEST.tsv"), "w", encoding="utf-8") as manifest:
    manifest.write("# file\texit code of `shorecast validate`\tkey of the expected problem (- when accepted)\n")
    for name, text, code, key in cases:
        assert name not in names, name
        names.add(name)
        data = text.encode("utf-8") if isinstance(text, str) else text
        with open(os.path.join(ROOT, name + ".toml"), "wb") as f:
            f.write(data)
        manifest.write(f"{name}.toml\t{code}\t{key}\n")
print(len(cases), "files")
