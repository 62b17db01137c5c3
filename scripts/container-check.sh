#!/usr/bin/env bash
# Builds the service's container image and checks it for real with podman (CI runs this through
# tests/Deploy/ContainerImageTests.cs): the image is started on a loopback port with a read-only root filesystem and
# no writable mount, then /readyz, /healthz (and the image's own HEALTHCHECK), /v1/sample, the page and /metrics are
# asked for; the process must run as a non-root uid on a read-only root; a request still being sent when SIGTERM
# arrives must be answered 200 and the container must then exit 0. Prints what it measured, one "check:" line each.
#
# No registry is reachable here, so the base image is built locally: `debootstrap --variant=minbase bookworm`, trimmed
# (apt lists and caches, docs, man pages, locales) and imported as localhost/bookworm-minbase; the tarball is cached in
# ${XDG_CACHE_HOME:-~/.cache}/vaeonnx/container/. Needs root, podman, runc and debootstrap (scripts/setup.sh installs them).
# Usage: scripts/container-check.sh [--app DIR]   (DIR: an existing self-contained linux-x64 publish under out/runtime/)
set -euo pipefail
cd "$(dirname "$0")/.."

app=""
while [ $# -gt 0 ]; do
  case "$1" in
    --app) app=$2; shift 2 ;;
    *) echo "container-check: unknown option '$1' (usage: scripts/container-check.sh [--app DIR])" >&2; exit 2 ;;
  esac
done

for tool in podman runc debootstrap curl /usr/bin/python3; do
  command -v "$tool" >/dev/null || { echo "container-check: $tool is missing; run scripts/setup.sh" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "container-check: run as root (podman here runs rootful with runc)" >&2; exit 1; }
# crun cannot start containers under this machine's cgroup setup; runc with cgroupfs can.
pod() { podman --runtime runc --cgroup-manager=cgroupfs "$@"; }
started=$SECONDS

# --- base image: Debian bookworm minbase with libssl3, standing in for mcr.microsoft.com/dotnet/runtime-deps:10.0 ---
base=localhost/bookworm-minbase
cache="${XDG_CACHE_HOME:-$HOME/.cache}/vaeonnx/container"
tarball="$cache/bookworm-minbase-v2.tar"
if ! pod image exists "$base" || [ "$(pod image inspect -f '{{index .Labels "vaeonnx.base"}}' "$base" 2>/dev/null)" != v2 ]; then
  if [ ! -s "$tarball" ]; then
    mkdir -p "$cache"
    rootfs=$(mktemp -d /tmp/vaeonnx-rootfs.XXXXXX)
    echo "container-check: debootstrap --variant=minbase bookworm (about a minute; cached in $tarball)"
    mirror=$(sed -n 's/^URIs: *\(http[^ ]*\/debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
    # runtime-deps adds libssl3 (cryptography), ca-certificates and tzdata to glibc, libstdc++ and zlib; so does this base
    # (not libicu: the runtime runs with invariant globalization).
    debootstrap --variant=minbase --include=libssl3,ca-certificates,tzdata bookworm "$rootfs" "${mirror:-http://deb.debian.org/debian}" >"$rootfs.log" 2>&1 \
      || { tail -20 "$rootfs.log" >&2; rm -rf "$rootfs" "$rootfs.log"; exit 1; }
    rm -rf "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* \
      "$rootfs"/usr/share/locale/* "$rootfs"/usr/share/info/* "$rootfs"/var/log/*
    tar -C "$rootfs" -cf "$tarball.partial" . && mv "$tarball.partial" "$tarball"
    rm -rf "$rootfs" "$rootfs.log"
  fi
  pod import --change 'LABEL vaeonnx.base=v2' "$tarball" "$base" >/dev/null
fi
echo "check: base image $base, $(( $(pod image inspect -f '{{.Size}}' "$base") / 1000000 )) MB (ready after $((SECONDS - started)) s)"

# --- the image, built as a user would (scripts/build-image.sh), on that base ---
args=(--engine podman --base "$base")
[ -z "$app" ] || args+=(--app "$app")
build_log=$(mktemp)
built=$(scripts/build-image.sh "${args[@]}" 2>"$build_log") || { cat "$build_log" >&2; rm -f "$build_log"; echo "container-check: the image did not build" >&2; exit 1; }
rm -f "$build_log"
echo "$built"
# build-image.sh names the image (vaeonnx-runtime:VERSION, the name deploy/kubernetes uses) on its last line.
image=$(sed -n 's/^build-image: \([^ ,]*\), [0-9]* MB$/\1/p' <<<"$built")
[ -n "$image" ] || { echo "container-check: build-image.sh did not name the image it built" >&2; exit 1; }
image_bytes=$(pod image inspect -f '{{.Size}}' "$image")
base_bytes=$(pod image inspect -f '{{.Size}}' "$base")
echo "check: image $image, $((image_bytes / 1000000)) MB ($(((image_bytes - base_bytes) / 1000000)) MB over the base)"
# The self-contained publish (about 137 MB: .NET, ASP.NET Core, ONNX Runtime for linux-x64) and the model; a layer much
# larger means something crept in (ONNX Runtime's mobile archives alone are 115 MB).
[ $(((image_bytes - base_bytes) / 1000000)) -le 200 ] || { echo "container-check: the image adds more than 200 MB to its base" >&2; exit 1; }
config=$(pod image inspect -f '{{.Config.User}}|{{json .Config.Env}}|{{json .Config.Healthcheck}}|{{json .Config.Entrypoint}}{{json .Config.Cmd}}' "$image")
echo "check: image config: $config"
case "$config" in 1654\|*ASPNETCORE_HTTP_PORTS=8080*health*) ;; *) echo "container-check: the image's user, port or health check is not as built" >&2; exit 1 ;; esac

# --- run it: loopback only (host network; ASPNETCORE_URLS overrides the image's all-interfaces port 8080 for the
#     check, so nothing listens beyond this machine), read-only root, not even a tmpfs ---
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
name="vaeonnx-check-$$"
cleanup() { pod rm -f -t 0 "$name" >/dev/null 2>&1 || true; }
trap cleanup EXIT
# --health-interval disable: no systemd timer runs the HEALTHCHECK here (there is no systemd); it is run once below.
run_log=$(mktemp)
pod run -d --name "$name" --network=host --read-only --read-only-tmpfs=false --health-interval disable \
  -e ASPNETCORE_URLS="$url" -e VaeServing__ShutdownTimeout=00:00:20 "$image" >/dev/null 2>"$run_log" \
  || { cat "$run_log" >&2; exit 1; }
rm -f "$run_log"
pid=$(pod inspect -f '{{.State.Pid}}' "$name")
fail() { echo "container-check: $*" >&2; pod logs "$name" 2>&1 | tail -30 >&2; exit 1; }

ready=""
for _ in $(seq 1 120); do
  if curl -fsS -o /dev/null "$url/readyz" 2>/dev/null; then ready=yes; break; fi
  [ "$(pod inspect -f '{{.State.Running}}' "$name")" = true ] || fail "the container stopped before it was ready"
  sleep 0.5
done
[ -n "$ready" ] || fail "/readyz did not answer 200 within 60 s"
echo "check: /readyz 200 after $((SECONDS - started)) s in all"

code=$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz"); [ "$code" = 200 ] || fail "/healthz answered $code"
pod healthcheck run "$name" >/dev/null || fail "the image's HEALTHCHECK (vaeonnx-runtime health) failed"
echo "check: /healthz 200; HEALTHCHECK healthy"

sample=$(mktemp)
read -r code type < <(curl -s -o "$sample" -w '%{http_code} %{content_type}\n' -X POST "$url/v1/sample" \
  -H 'Content-Type: application/json' -d '{"count":16,"seed":7}')
signature=$(head -c 8 "$sample" | od -An -tx1 | tr -d ' \n')
[ "$code" = 200 ] && [ "$type" = image/png ] && [ "$signature" = 89504e470d0a1a0a ] || fail "/v1/sample answered $code $type ($signature)"
echo "check: POST /v1/sample 200 image/png, $(stat -c %s "$sample") bytes"
rm -f "$sample"

page=$(curl -s -w '\n%{http_code} %{content_type}' "$url/")
case "$(tail -1 <<<"$page")" in "200 text/html"*) ;; *) fail "/ answered $(tail -1 <<<"$page")" ;; esac
grep -qi '<html' <<<"$page" || fail "/ is not an HTML page"
echo "check: GET / 200 text/html, $(($(wc -c <<<"$page") - 1)) bytes"
grep -q '^vaeonnx_model_ready 1' < <(curl -s "$url/metrics") || fail "/metrics does not say vaeonnx_model_ready 1"
echo "check: /metrics vaeonnx_model_ready 1"

uids=$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$pid/status")
[ -n "$uids" ] && ! grep -qw 0 <<<"$uids" || fail "the service runs with uid $uids (real, effective, saved, fs); none may be 0"
root_options=$(awk '$5 == "/" {print $6}' "/proc/$pid/mountinfo" | tail -1)
[[ ",$root_options," == *,ro,* ]] || fail "the root filesystem is mounted '$root_options', not read-only"
if write=$(pod exec "$name" /bin/sh -c 'echo x > /app/probe || echo x > /tmp/probe || echo x > /probe' 2>&1); then
  fail "a file could be written inside the container"
fi
echo "check: uid $uids (real effective saved fs), root mounted $root_options; writing /app, /tmp and / fails: $(tail -1 <<<"$write")"
echo "check: resident memory after these requests: $(awk '/^VmRSS:/ {print $2, $3}' "/proc/$pid/status")"

# --- SIGTERM while a request is in flight: the request's body is still being sent when the signal arrives ---
/usr/bin/python3 - "$port" "$name" <<'PY'
import json, socket, subprocess, sys, time
port, name = int(sys.argv[1]), sys.argv[2]
pod = ["podman", "--runtime", "runc", "--cgroup-manager=cgroupfs"]
body = json.dumps({"z": [[0.0] * 16]}).encode()
head = (f"POST /v1/decode HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Accept: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
s = socket.create_connection(("127.0.0.1", port), timeout=30)
s.sendall(head + body[:10])
time.sleep(0.3)
t0 = time.monotonic()
subprocess.run(pod + ["kill", "--signal", "TERM", name], check=True, capture_output=True)
time.sleep(1.0)
running = subprocess.run(pod + ["inspect", "-f", "{{.State.Running}}", name], capture_output=True, text=True).stdout.strip()
if running != "true":
    sys.exit("container-check: the container stopped within 1 s of SIGTERM with a request in flight")
s.sendall(body[10:])
answer = b""
while chunk := s.recv(65536):
    answer += chunk
status = answer.split(b"\r\n", 1)[0].decode(errors="replace")
if " 200 " not in status + " ":
    sys.exit(f"container-check: the in-flight request got '{status}' after SIGTERM")
payload = json.loads(answer.split(b"\r\n\r\n", 1)[1])
print(f"check: SIGTERM with a request in flight: still running 1 s later, then '{status}' with {len(answer)} bytes "
      f"({time.monotonic() - t0:.1f} s after the signal)")
PY
for _ in $(seq 1 60); do
  [ "$(pod inspect -f '{{.State.Running}}' "$name")" = true ] || break
  sleep 0.5
done
exit_code=$(pod inspect -f '{{.State.ExitCode}}|{{.State.Running}}' "$name")
[ "$exit_code" = "0|false" ] || fail "after SIGTERM the container is '$exit_code' (exit code|running); expected 0|false"
logs=$(pod logs "$name" 2>&1)
shutting=$(grep -n 'Application is shutting down' <<<"$logs" | head -1 | cut -d: -f1)
answered=$(grep -n 'POST /v1/decode -> 200' <<<"$logs" | tail -1 | cut -d: -f1)
[ -n "$shutting" ] && [ -n "$answered" ] && [ "$answered" -gt "$shutting" ] || fail "the log does not show the answer after the shutdown began"
grep -q 'Model sessions disposed' <<<"$logs" || fail "the log does not say 'Model sessions disposed'"
echo "check: exit code 0 after the drain; log: shutdown began (line $shutting), then 'POST /v1/decode -> 200' (line $answered), then 'Model sessions disposed'"
echo "check: all passed in $((SECONDS - started)) s"
