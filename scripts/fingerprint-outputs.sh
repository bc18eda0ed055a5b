#!/usr/bin/env bash
# Runs every command of shorecast (both languages where it writes a report) on the
# built-in Oujda scenario with fixed seeds and small path counts, and prints one
# SHA-256 per output file, with what must differ between two runs (elapsed times,
# the command line, the marker's checksums of files holding them) normalised away.
# A restructuring keeps this listing identical: run it before and after with the
# binary at the same path (the command line is part of some outputs), and diff.
#   scripts/fingerprint-outputs.sh BINARY > before.txt
set -euo pipefail
bin=$(realpath "${1:-target/release/shorecast}")
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
q=(--quiet --threads 2)
for lang in en fr; do
    "$bin" run --paths 400 --seed 3 --lang "$lang" --out "run-$lang" "${q[@]}" >"run-$lang.stdout"
    "$bin" compare --paths 200 --seed 3 --lang "$lang" --out "compare-$lang" "${q[@]}" >"compare-$lang.stdout"
    "$bin" plan --paths 200 --first-round-paths 50 --seed 3 --budget 60000000 --value-per-job 100000 --lang "$lang" --out "plan-$lang" "${q[@]}" >"plan-$lang.stdout"
    "$bin" sensitivity --paths 200 --seed 3 --lang "$lang" --out "sensitivity-$lang" "${q[@]}" >"sensitivity-$lang.stdout"
    "$bin" discover --paths 400 --seed 3 --target 2300 --lang "$lang" --out "discover-$lang" "${q[@]}" >"discover-$lang.stdout"
    "$bin" calibrate --particles 100 --seed 3 --lang "$lang" --out "calibrate-$lang" "${q[@]}" >"calibrate-$lang.stdout"
    "$bin" backtest --particles 100 --seed 3 --lang "$lang" --out "backtest-$lang" "${q[@]}" >"backtest-$lang.stdout"
done
for k in 1 2; do
    "$bin" run --paths 400 --seed 3 --shard "$k/2" --out "shard-$k" "${q[@]}" >"shard-$k.stdout"
done
"$bin" merge shard-1 shard-2 --out merged >merged.stdout
"$bin" validate "$repo/scenarios/oujda.toml" >validate.stdout 2>&1
"$bin" init "Tanger Shore" --out init.toml >init.stdout
# Normalise: elapsed seconds and command lines (in JSON, HTML, text), timestamps
# inside workbooks, the marker's checksums.
python3 - <<'PY'
import hashlib, os, re, zipfile, io
def norm_text(t):
    t = re.sub(r'"elapsed_seconds": [0-9.e+-]+', '"elapsed_seconds": X', t)
    t = re.sub(r'"command_line": "[^"]*"', '"command_line": X', t)
    t = re.sub(r'\d+([.,]\d+)?\s?(s|ms|min|h)\b', 'T', t)
    t = re.sub(r'/tmp/tmp\.[A-Za-z0-9]+', 'TMP', t)
    t = re.sub(r'(shorecast|command: )[^\n<]*(--quiet|--out)[^\n<]*', r'\1CMD', t)
    t = re.sub(r'\b[0-9a-f]{64} \d+ ', 'HASH ', t)
    return t
for root, _, files in sorted(os.walk('.')):
    for f in sorted(files):
        p = os.path.join(root, f)
        data = open(p, 'rb').read()
        if f.endswith('.xlsx'):
            z = zipfile.ZipFile(io.BytesIO(data))
            parts = []
            for n in sorted(z.namelist()):
                if n == 'docProps/core.xml':
                    continue
                parts.append(n.encode() + norm_text(z.read(n).decode('utf-8', 'replace')).encode())
            data = b'\0'.join(parts)
        elif f.endswith(('.json', '.html', '.stdout', '.toml', '.csv', '.svg')) or f == '.shorecast-output':
            data = norm_text(data.decode('utf-8', 'replace')).encode()
        elif f == 'partial.shorecast':
            continue  # holds the elapsed time in binary
        print(hashlib.sha256(data).hexdigest()[:16], p)
PY
