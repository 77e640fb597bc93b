#!/usr/bin/env bash
# A single-node Slurm cluster for the tests, from Debian's packages
# (slurmctld slurmd slurm-client munge), on a machine without systemd.
#
#   cluster.sh start DIR   write DIR/slurm.conf; start munged, slurmctld and slurmd
#                          in the background (PIDs in DIR/pids/); wait until the
#                          node is idle. Clients use SLURM_CONF=DIR/slurm.conf.
#   cluster.sh stop DIR    cancel what is left, wait for the job steps, then stop
#                          the daemons this script started, by PID.
#
# State, spool, sockets and logs stay in DIR (created if missing; made
# traversable so that munged, dropped to the munge user, can reach its socket).
# A failed start prints the daemons' logs and stops whatever it started.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)
conf=$dir/slurm.conf
export SLURM_CONF=$conf
export PATH="$PATH:/usr/sbin:/sbin"   # the daemons live in sbin

log() { echo "cluster.sh: $*" >&2; }

# A process that exists and is not a zombie (init may be slow to reap what it inherits).
running() { kill -0 "$1" 2>/dev/null && [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

# Whether daemon $1 that we started is running.
alive() { [ -f "$dir/pids/$1" ] && running "$(cat "$dir/pids/$1")"; }

# Job steps of our slurmd: slurmstepd is re-parented to init and keeps no
# trace of our configuration in its environment, so it is recognised by the
# socket it holds in our spool directory (inode from /proc/net/unix).
our_stepds() {
  local inodes p ino
  inodes=$(awk -v d="$dir/spool/" 'index($NF, d) == 1 { print $7 }' /proc/net/unix 2>/dev/null || true)
  [ -n "$inodes" ] || return 0
  for p in $(pgrep -x slurmstepd 2>/dev/null || true); do
    [ "$(awk '{ print $3 }' "/proc/$p/stat" 2>/dev/null)" = Z ] && continue
    for ino in $inodes; do
      if ls -l "/proc/$p/fd" 2>/dev/null | grep -qF "socket:[$ino]"; then echo "$p"; break; fi
    done
  done
}

# Waits (up to 15 s) until the job steps of our slurmd have ended: no step
# socket left in the spool directory and every step process seen has exited.
wait_for_steps() {
  local seen="" live p i
  for i in $(seq 1 150); do
    seen="$seen $(our_stepds | tr '\n' ' ')"
    live=""
    for p in $seen; do running "$p" && live="$live $p"; done
    seen=$live
    if [ -z "$live" ] && [ -z "$(find "$dir/spool" -maxdepth 1 -type s 2>/dev/null)" ]; then
      [ "$i" -eq 1 ] || log "waited $(((i - 1) * 100)) ms for the job steps to end"
      return 0
    fi
    sleep 0.1
  done
  log "job steps still running after 15 s:${live:- (sockets left in $dir/spool)}"
}

show_logs() {
  local f
  for f in "$dir"/log/*; do
    [ -f "$f" ] || continue
    echo "----- $f (last 60 lines)" >&2
    tail -n 60 "$f" >&2 || true
  done
}

# Stops a daemon we started: SIGTERM by PID, then SIGKILL after 15 s.
stop_pid() {
  local name=$1 pidfile=$dir/pids/$1 pid i
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if running "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 150); do running "$pid" || break; sleep 0.1; done
    if running "$pid"; then
      log "$name ($pid) did not stop on SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pidfile"
}

stop_all() {
  if alive slurmctld; then
    scancel --quiet --full --user="$(id -un)" 2>/dev/null || true
  fi
  # Job steps report their end to slurmd and slurmctld (through munge): let them finish first.
  wait_for_steps
  stop_pid slurmd
  stop_pid slurmctld
  stop_pid munged
}

fail() {
  log "$*"
  show_logs
  stop_all
  exit 1
}

# Waits up to $1 seconds for "$2…" to succeed while daemon $3… stay alive.
wait_for() {
  local secs=$1 what=$2 check=$3 d
  shift 3
  local end=$((SECONDS + secs))
  until eval "$check" >/dev/null 2>&1; do
    for d in "$@"; do alive "$d" || fail "$d exited while waiting for $what"; done
    [ $SECONDS -lt $end ] || fail "timed out after ${secs} s waiting for $what"
    sleep 0.1
  done
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  for b in munged slurmctld slurmd scontrol sinfo setpriv; do
    command -v "$b" >/dev/null || { log "$b is not installed (apt-get install slurmctld slurmd slurm-client munge)"; exit 1; }
  done
  [ "$(id -u)" -eq 0 ] || { log "slurmd must run as root"; exit 1; }
  for d in munged slurmctld slurmd; do
    if alive "$d"; then log "$d already running from $dir (pid $(cat "$dir/pids/$d"))"; exit 1; fi
  done
  mkdir -p "$dir/pids" "$dir/log" "$dir/state" "$dir/spool" "$dir/munge"
  chmod 755 "$dir"
  chmod 755 "$dir/munge"   # munged requires its socket directory to be reachable by all
  chown munge:munge "$dir/munge"
  : >"$dir/log/munged.log"
  chown munge:munge "$dir/log/munged.log"
  if ! setpriv --reuid=munge --regid=munge --init-groups test -x "$dir/munge"; then
    log "the munge user cannot reach $dir/munge: every directory above it must be searchable by others (chmod o+x)"
    exit 1
  fi

  # munge: Debian's package creates /etc/munge/munge.key; make a key of our own if it is missing.
  local key=/etc/munge/munge.key
  if [ ! -f "$key" ]; then
    key=$dir/munge/munge.key
    [ -f "$key" ] || { mungekey --create --keyfile="$key" && chown munge:munge "$key" && chmod 600 "$key"; }
  fi
  local sock=$dir/munge/munge.socket
  # setpriv execs munged, so $! is munged's own PID.
  setpriv --reuid=munge --regid=munge --init-groups \
    munged -F --socket="$sock" --key-file="$key" --pid-file="$dir/munge/munged.pid" \
    --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed" \
    </dev/null >>"$dir/log/munged.out" 2>&1 &
  echo $! >"$dir/pids/munged"
  wait_for 10 munged "munge -n -S '$sock' | unmunge -S '$sock'" munged

  # Two free ports for slurmctld and slurmd.
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    port_in_use "$p" || port_in_use $((p + 1)) || break
  done
  local node
  node=$(hostname -s)
  local hw
  hw=$(slurmd -C | head -n 1 | sed -E "s/^NodeName=[^ ]+//")
  cat >"$conf" <<CONF
# Written by test/slurm/cluster.sh: a single-node cluster with everything in $dir.
ClusterName=cadreflow-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$p
SlurmdPort=$((p + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
NodeName=$node NodeAddr=127.0.0.1 $hw State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF

  slurmctld -D -i -f "$conf" </dev/null >>"$dir/log/slurmctld.out" 2>&1 &
  echo $! >"$dir/pids/slurmctld"
  wait_for 20 slurmctld "scontrol ping | grep -q UP" munged slurmctld

  slurmd -D -N "$node" -f "$conf" </dev/null >>"$dir/log/slurmd.out" 2>&1 &
  echo $! >"$dir/pids/slurmd"
  wait_for 20 "node $node to be idle" "sinfo -h -n '$node' -o %t | grep -qx idle" munged slurmctld slurmd
  log "up: node $node, SLURM_CONF=$conf (munged $(cat "$dir/pids/munged"), slurmctld $(cat "$dir/pids/slurmctld"), slurmd $(cat "$dir/pids/slurmd"))"
}

case $cmd in
  start) start ;;
  stop) stop_all ;;
  *) usage ;;
esac
