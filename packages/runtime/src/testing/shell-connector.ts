/**
 * A connector written for busybox sh, the entrypoint of the shell test image. It is a source
 * and a destination at once; BEHAVIOUR (an environment variable) picks what it does:
 * - good: spec/check/discover answer; read prints RECORDS records (default 10) of stream
 *   "users" with a STATE every 5; write echoes every STATE it receives and logs the count;
 * - report: read first logs one line, `report|uid=…|dir=…|readOnly=…|dirMode=…|configMode=…|net=…|cpu=…|
 *   mem=…|greeting=…|config=…`, about itself, its limits and the run's files;
 * - noise: read mixes lines that are not JSON into its output;
 * - stderr-only: writes two lines to stderr, nothing to stdout, exits 1;
 * - silent: prints nothing and exits 0;
 * - hang: read prints its records, then waits for an hour;
 * - exit-early: write stops after EXIT_AFTER records (default 1) with EXIT_CODE (default 0);
 * - oom: fills a shell variable with 100 MB (for a memory limit to stop it).
 */
export const SHELL_CONNECTOR = String.raw`#!/bin/sh
cmd="$1"
shift
config=""
while [ $# -gt 0 ]; do
  case "$1" in
    --config) config="$2"; shift 2 ;;
    *) shift ;;
  esac
done
log() { printf '{"type":"LOG","log":{"level":"INFO","message":"%s"}}\n' "$1"; }
record() { printf '{"type":"RECORD","record":{"stream":"users","data":{"id":%d},"emitted_at":1}}\n' "$1"; }
state() { printf '{"type":"STATE","state":{"type":"STREAM","stream":{"stream_descriptor":{"name":"users"},"stream_state":{"cursor":%d}}}}\n' "$1"; }
behaviour="${"$"}{BEHAVIOUR:-good}"

case "$behaviour" in
  stderr-only) echo "connector: cannot reach api.example.com" >&2; echo "connector: giving up" >&2; exit 1 ;;
  silent) exit 0 ;;
  oom) x=$(head -c 100000000 /dev/zero | tr '\0' a); echo "${"$"}{#x}" >&2; exit 0 ;;
esac

case "$cmd" in
  spec) echo '{"type":"SPEC","spec":{"connectionSpecification":{"type":"object"}}}' ;;
  check) echo '{"type":"CONNECTION_STATUS","connectionStatus":{"status":"SUCCEEDED"}}' ;;
  discover) echo '{"type":"CATALOG","catalog":{"streams":[{"name":"users","json_schema":{"type":"object"},"supported_sync_modes":["full_refresh","incremental"],"source_defined_cursor":true,"default_cursor_field":["id"]}]}}' ;;
  read)
    if [ "$behaviour" = report ]; then
      dir=$(dirname "$config")
      body=$(tr -d '\n' < "$config" | sed 's/\\/\\\\/g; s/"/\\"/g')
      net=$(ls /sys/class/net | tr '\n' ,)
      cpu=$(cat /sys/fs/cgroup/cpu.max 2>/dev/null || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us)
      mem=$(cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes)
      ro=$(touch "$config" 2>/dev/null && echo no || echo yes)
      log "report|uid=$(id -u)|dir=$dir|readOnly=$ro|dirMode=$(stat -c %a "$dir")|configMode=$(stat -c %a "$config")|net=$net|cpu=$cpu|mem=$mem|greeting=$GREETING|config=$body"
    fi
    i=1
    while [ "$i" -le "${"$"}{RECORDS:-10}" ]; do
      record "$i"
      [ "$behaviour" = noise ] && [ "$i" -eq 1 ] && echo "starting the export..."
      [ $((i % 5)) -eq 0 ] && state "$i"
      i=$((i + 1))
    done
    [ "$behaviour" = noise ] && echo "done, bye"
    [ "$behaviour" = hang ] && exec sleep 3600
    ;;
  write)
    n=0
    while IFS= read -r line; do
      case "$line" in
        *'"type":"RECORD"'*)
          n=$((n + 1))
          if [ "$behaviour" = exit-early ] && [ "$n" -ge "${"$"}{EXIT_AFTER:-1}" ]; then
            echo "destination: stopping after $n records" >&2
            exit "${"$"}{EXIT_CODE:-0}"
          fi
          ;;
        *'"type":"STATE"'*) echo "$line" ;;
      esac
    done
    log "received $n records"
    ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
exit 0
`;
