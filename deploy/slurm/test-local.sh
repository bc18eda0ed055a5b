#!/usr/bin/env bash
# End-to-end test on a real Slurm: installs Debian's slurmctld, slurmd,
# slurm-client and munge if needed, starts a single-node cluster on this machine,
# submits a sharded run and a sharded comparison with deploy/slurm/submit.sh (job
# array + merge job with --dependency=afterok), compares each merged folder with
# a single run byte for byte, and stops the daemons it started.
#
# Needs root (it writes /etc/slurm/slurm.conf, restored afterwards). Exit codes:
# 0 passed, 1 failed, 77 skipped (not root, or the packages cannot be installed).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
skip() { echo "SKIPPED: Slurm test: $*" >&2; exit 77; }

[ "$(id -u)" = 0 ] || skip "needs root to install and start Slurm"
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null ||
   ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
    { apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
          slurmctld slurmd slurm-client munge >/dev/null; } ||
        skip "Debian's slurmctld slurmd slurm-client munge packages could not be installed"
fi
for pid_file in /run/slurm/slurmctld.pid /run/slurm/slurmd.pid; do
    if [ -s "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
        echo "a Slurm daemon is already running (pid $(cat "$pid_file") in $pid_file); stop it first" >&2
        exit 1
    fi
done

cargo build --release --quiet
shorecast="$root/target/release/shorecast"
SECONDS=0 # timings below: Slurm and the jobs, not the build
work=$(mktemp -d /tmp/shorecast-slurm.XXXXXX)
conf=/etc/slurm/slurm.conf
started_munge=no

wait_gone() { # pid: waits up to 30 s for it to exit
    for _ in $(seq 300); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    echo "process $1 did not stop" >&2; return 1
}
stop() {
    local pid
    for daemon in slurmd slurmctld; do
        if [ -s "/run/slurm/$daemon.pid" ]; then
            pid=$(cat "/run/slurm/$daemon.pid")
            kill -TERM "$pid" 2>/dev/null && wait_gone "$pid" || true
        fi
    done
    if [ "$started_munge" = yes ] && [ -s /run/munge/munged.pid ]; then
        pid=$(cat /run/munge/munged.pid)
        kill -TERM "$pid" 2>/dev/null && wait_gone "$pid" || true
    fi
    if [ -f "$work/slurm.conf.before" ]; then cp "$work/slurm.conf.before" "$conf"; else rm -f "$conf"; fi
    rm -rf "$work"
    echo "Slurm daemons stopped"
}
trap stop EXIT

# Munge (authentication), reusing a running one.
mkdir -p /run/munge && chown munge:munge /run/munge
if ! { [ -s /run/munge/munged.pid ] && kill -0 "$(cat /run/munge/munged.pid)" 2>/dev/null; }; then
    runuser -u munge -- /usr/sbin/munged
    started_munge=yes
fi

# A one-node cluster named after this machine.
mkdir -p /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/slurm /etc/slurm
chown slurm:slurm /var/spool/slurmctld /var/log/slurm /run/slurm
if [ -f "$conf" ]; then cp "$conf" "$work/slurm.conf.before"; fi
host=$(hostname -s)
cat > "$conf" <<CONF
ClusterName=shorecast-ci
SlurmctldHost=$host
SlurmUser=slurm
SlurmdUser=root
AuthType=auth/munge
CryptoType=crypto/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SchedulerParameters=kill_invalid_depend
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmctldPidFile=/run/slurm/slurmctld.pid
SlurmdPidFile=/run/slurm/slurmd.pid
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -c -i
slurmd -c
for _ in $(seq 120); do
    sinfo -h -o %t 2>/dev/null | grep -qx idle && break
    sleep 0.5
done
sinfo -h -o %t | grep -qx idle || { echo "the Slurm node never became idle" >&2; sinfo >&2 || true; exit 1; }
echo "Slurm is up after ${SECONDS} s: $(sinfo -h -o '%P %D %t %c CPUs')"

# Waits for jobs to leave the queue, then checks that the array job ($1, with
# $2 tasks) and the merge job ($3) all completed with exit code 0.
wait_jobs() {
    local array=$1 tasks=$2 merge=$3 states
    for _ in $(seq 600); do
        [ -z "$(squeue -h -j "$array,$merge" 2>/dev/null)" ] && break
        sleep 0.5
    done
    states=$({ scontrol show job "$array"; scontrol show job "$merge"; } 2>&1 |
        grep -o 'JobState=[A-Z_]*' | sort | uniq -c | tr -s ' \n' ' ' || true)
    if [ "$(scontrol show job "$array" | grep -c 'JobState=COMPLETED')" != "$tasks" ] ||
       [ "$(scontrol show job "$merge" | grep -c 'JobState=COMPLETED')" != 1 ]; then
        echo "Slurm jobs $array (array) and $merge (merge) did not all complete: $states" >&2
        cat "$work"/*/logs/*.out >&2 2>/dev/null || true
        exit 1
    fi
}

# Submits COMMAND on SHARDS shards of PATHS paths, waits, and compares the
# merged folder with a single run. Only the elapsed time and the command line
# may differ: diff ignores exactly those lines (the command line also names the
# command in the folder's .shorecast-output marker, whose list of files gives the
# checksums of the files holding them: those lines are ignored too, the other
# files' checksums must match).
check() {
    local command=$1 paths=$2 shards=$3 dir="$work/$1" ids array merge
    ids=$(deploy/slurm/submit.sh --command "$command" --paths "$paths" --shards "$shards" \
        --seed 42 --work "$dir" --shorecast "$shorecast")
    read -r array merge <<<"$ids"
    echo "$command: submitted array job $array ($shards shards) and merge job $merge"
    wait_jobs "$array" "$shards" "$merge"
    "$shorecast" "$command" --paths "$paths" --seed 42 --quiet --out "$dir/single" >/dev/null
    if ! diff -r \
        -I '^  "elapsed_seconds": ' -I '^  "command_line": ' -I '^command: ' \
        -I '^<dt>Command line</dt>' -I '^<dt>Ligne de commande</dt>' \
        -I ' simulated in [0-9.,]* s\. ' \
        -I '^[0-9a-f]\{64\} [0-9]* \(report\.html\|summary\.json\|comparison\.json\)$' \
        "$dir/single" "$dir/merged"; then
        echo "FAILED: the merged $command differs from a single run" >&2
        exit 1
    fi
    echo "$command: merged folder of $shards Slurm shards equals a single run ($(ls "$dir/merged" | wc -l) files)"
}

check run 20000 4
check compare 3000 3
echo "PASSED: Slurm job array + dependent merge, byte-identical to single runs (${SECONDS} s)"
