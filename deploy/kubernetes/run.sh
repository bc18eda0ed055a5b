#!/usr/bin/env bash
# Runs a sharded shorecast job on Kubernetes: the scenario as a ConfigMap, the
# shared volume, the Indexed Job of N shards, then (once every shard completed)
# the merge Job. Needs kubectl pointed at the cluster and the image pushed where
# the cluster can pull it.
#
#   deploy/kubernetes/run.sh --image registry.example/shorecast:0.4.0 \
#       [--scenario scenarios/oujda.toml] [--paths 1000000] [--shards 64] \
#       [--command run|compare] [--timeout 2h]
#
# Results stay on the volume, in /results/merged; copy them out with a pod that
# mounts it (see the README).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
image=shorecast:latest scenario="$here/../../scenarios/oujda.toml"
paths=1000000 shards=64 command=run timeout=2h
while [ $# -gt 0 ]; do
    case "$1" in
        --image) image=$2; shift 2 ;;
        --scenario) scenario=$2; shift 2 ;;
        --paths) paths=$2; shift 2 ;;
        --shards) shards=$2; shift 2 ;;
        --command) command=$2; shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    esac
done
# Same values in completions, parallelism and the SHARDS variable, and the image.
render() {
    sed -e "s|image: shorecast:latest|image: $image|" \
        -e "s|completions: 64|completions: $shards|" \
        -e "s|parallelism: 64|parallelism: $shards|" \
        -e "s|{name: SHARDS, value: \"64\"}|{name: SHARDS, value: \"$shards\"}|" \
        -e "s|{name: PATHS, value: \"1000000\"}|{name: PATHS, value: \"$paths\"}|" \
        -e "s|{name: COMMAND, value: \"run\"}|{name: COMMAND, value: \"$command\"}|" "$1"
}
kubectl create configmap shorecast-scenario --from-file=scenario.toml="$scenario" \
    --dry-run=client -o yaml | kubectl apply -f -
kubectl apply -f "$here/volume.yaml"
kubectl delete job shorecast-shards shorecast-merge --ignore-not-found
render "$here/shards-job.yaml" | kubectl apply -f -
kubectl wait --for=condition=complete --timeout="$timeout" job/shorecast-shards
render "$here/merge-job.yaml" | kubectl apply -f -
kubectl wait --for=condition=complete --timeout=30m job/shorecast-merge
kubectl logs job/shorecast-merge
