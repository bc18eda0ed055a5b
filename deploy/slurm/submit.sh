#!/usr/bin/env bash
# Submits a sharded shorecast run to Slurm: a job array of N shards, then a merge
# job that waits for all of them (--dependency=afterok). Prints the two job ids.
#
#   deploy/slurm/submit.sh --shards 64 --paths 1000000 --work /shared/oujda \
#       [--scenario scenarios/oujda.toml] [--command run|compare] [--seed S] \
#       [--lang en|fr] [--shorecast BIN] [-- extra sbatch options]
#
# WORK must be on storage that every node sees; the merged results land in
# WORK/merged, the shards' partial results in WORK/shards, the logs in WORK/logs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
command=run scenario="" paths="" seed="" shards="" work="" lang=en
shorecast="$here/../../target/release/shorecast"
usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --command) command=$2; shift 2 ;;
        --scenario) scenario=$(realpath "$2"); shift 2 ;;
        --paths) paths=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        --shards) shards=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        --lang) lang=$2; shift 2 ;;
        --shorecast) shorecast=$2; shift 2 ;;
        --) shift; break ;;
        *) usage ;;
    esac
done
[ -n "$paths" ] && [ -n "$shards" ] && [ -n "$work" ] || usage
case "$command" in run|compare) ;; *) echo "--command must be run or compare" >&2; exit 2 ;; esac
shorecast=$(realpath "$shorecast")
[ -x "$shorecast" ] || { echo "no shorecast binary at $shorecast; build it (cargo build --release) or give --shorecast" >&2; exit 2; }
case "$scenario$work$shorecast" in *,*) echo "paths with commas cannot pass through sbatch --export" >&2; exit 2 ;; esac
mkdir -p "$work/logs"
work=$(realpath "$work")
export_vars="ALL,SHORECAST=$shorecast,COMMAND=$command,SCENARIO=$scenario,PATHS=$paths,SEED=$seed,SHARDS=$shards,WORK=$work,REPORT_LANG=$lang"
array=$(sbatch --parsable --array="1-$shards" --export="$export_vars" \
    --output="$work/logs/shard-%a.out" "$@" "$here/shard.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes \
    --export="$export_vars" --output="$work/logs/merge.out" "$@" "$here/merge.sbatch")
merge=${merge%%;*}
echo "$array $merge"
