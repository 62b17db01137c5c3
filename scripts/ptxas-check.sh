#!/usr/bin/env bash
# Assembles the engine's GPU kernels with NVIDIA's ptxas, offline (no GPU, no driver): each PTX file of PTXDIR (one
# kernel each, written by tests/Trainer/Engine/Backends/Launches/PtxasCheckTests.cs with ILGPU's PTXBackend at PTX ISA
# 8.4), for each target architecture, with ptxas -v. Prints one tab-separated line per kernel and architecture:
#   kernel  arch  registers  spill_store_bytes  spill_load_bytes  shared_bytes  stack_bytes  status
# where status is "ok" or "FAILED: <ptxas's first error>", then a one-line verdict. Fails (exit 1) when a kernel does
# not assemble, or when a GEMM kernel (a file named Gemm*) spills registers.
# ptxas: $PTXAS, else ptxas on PATH, else CUDA 12.4's, taken from Debian trixie's non-free nvidia-cuda-toolkit .deb
# (apt-get download with a temporary sources list and -o Dir::... options, dpkg-deb -x) into
# ${XDG_CACHE_HOME:-~/.cache}/vaeonnx/cuda-12.4 once; later runs reuse it. Nothing is installed system-wide, no root
# is needed, and a concurrent run waits for the first one's download (flock).
# Usage: scripts/ptxas-check.sh [--arch sm_80,sm_90] PTXDIR       check the PTX in PTXDIR
#        scripts/ptxas-check.sh --fetch-only                       only make sure ptxas is there; print its path
# Exit codes: 0 all assembled and no GEMM spills; 1 a kernel failed or a GEMM spills; 2 bad arguments; 3 no ptxas.
set -uo pipefail

usage() { sed -n '2,/^set /{/^#/s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}"; }
archs=sm_80,sm_90
dir=""
fetch_only=0
while (($#)); do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --arch) [[ $# -ge 2 && $2 =~ ^sm_[0-9]+(,sm_[0-9]+)*$ ]] || { echo "ptxas-check: --arch takes a list like sm_80,sm_90" >&2; exit 2; }; archs=$2; shift 2 ;;
    --fetch-only) fetch_only=1; shift ;;
    -*) echo "ptxas-check: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) [[ -z $dir ]] || { echo "ptxas-check: one PTXDIR only (got $dir and $1)" >&2; exit 2; }; dir=$1; shift ;;
  esac
done
if ((!fetch_only)); then
  [[ -n $dir ]] || { echo "ptxas-check: give the folder of .ptx files (see --help)" >&2; exit 2; }
  [[ -d $dir ]] || { echo "ptxas-check: $dir is not a folder" >&2; exit 2; }
fi

cache=${XDG_CACHE_HOME:-$HOME/.cache}/vaeonnx/cuda-12.4
suite=trixie
package=nvidia-cuda-toolkit

# Echoes the path of a working ptxas, fetching CUDA 12.4's into the cache when there is none.
find_ptxas() {
  if [[ -n ${PTXAS:-} ]]; then
    [[ -x $PTXAS ]] || { echo "ptxas-check: PTXAS=$PTXAS is not an executable" >&2; return 3; }
    echo "$PTXAS"; return 0
  fi
  if command -v ptxas >/dev/null; then command -v ptxas; return 0; fi
  if [[ -x $cache/bin/ptxas ]] && "$cache/bin/ptxas" --version >/dev/null 2>&1; then echo "$cache/bin/ptxas"; return 0; fi
  for tool in apt-get dpkg-deb flock; do
    command -v $tool >/dev/null || { echo "ptxas-check: no ptxas on PATH and no $tool to fetch CUDA's from Debian; install the CUDA toolkit or set PTXAS" >&2; return 3; }
  done
  mkdir -p "$cache" || { echo "ptxas-check: cannot create $cache" >&2; return 3; }
  (
    flock 9
    # Another run may have fetched it while this one waited for the lock.
    if [[ -x $cache/bin/ptxas ]] && "$cache/bin/ptxas" --version >/dev/null 2>&1; then exit 0; fi
    work=$(mktemp -d "$cache/fetch.XXXXXX") || exit 3
    trap 'rm -rf "$work"' EXIT
    mkdir -p "$work/lists/partial" "$work/archives/partial" "$work/etc" "$work/unpacked"
    keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    [[ -f $keyring ]] || { echo "ptxas-check: $keyring is missing (apt-get install debian-archive-keyring), so Debian's packages cannot be verified" >&2; exit 3; }
    echo "deb [signed-by=$keyring] http://deb.debian.org/debian $suite non-free" > "$work/etc/sources.list"
    opts=(-o "Dir::Etc::SourceList=$work/etc/sources.list" -o Dir::Etc::SourceParts=/nonexistent -o "Dir::State::Lists=$work/lists"
          -o "Dir::Cache=$work" -o "Dir::Cache::archives=$work/archives" -o Dir::State::Status=/dev/null -o Debug::NoLocking=1
          -o APT::Sandbox::User="$(id -un)" -qq)
    echo "ptxas-check: fetching $package from Debian $suite non-free into $cache (once)" >&2
    apt-get "${opts[@]}" update >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; echo "ptxas-check: apt-get update of Debian $suite non-free failed (no network?)" >&2; exit 3; }
    (cd "$work" && apt-get "${opts[@]}" download "$package" >>"$work/apt.log" 2>&1) || { cat "$work/apt.log" >&2; echo "ptxas-check: apt-get download $package failed" >&2; exit 3; }
    deb=$(ls "$work"/${package}_*.deb 2>/dev/null | head -1)
    [[ -n $deb ]] || { echo "ptxas-check: apt-get download left no .deb" >&2; exit 3; }
    dpkg-deb -x "$deb" "$work/unpacked" || { echo "ptxas-check: dpkg-deb -x $deb failed" >&2; exit 3; }
    [[ -x $work/unpacked/usr/bin/ptxas ]] || { echo "ptxas-check: $(basename "$deb") holds no usr/bin/ptxas" >&2; exit 3; }
    mkdir -p "$cache/bin"
    # Keep only ptxas (30 MB of the 200 MB unpacked); the move is atomic, so a half-written file is never used.
    cp "$work/unpacked/usr/bin/ptxas" "$cache/bin/ptxas.part" && mv -f "$cache/bin/ptxas.part" "$cache/bin/ptxas" || exit 3
    basename "$deb" > "$cache/package.txt"
  ) 9>"$cache/.lock" || return 3
  "$cache/bin/ptxas" --version >/dev/null 2>&1 || { echo "ptxas-check: the fetched $cache/bin/ptxas does not run" >&2; return 3; }
  echo "$cache/bin/ptxas"
}

ptxas=$(find_ptxas) || exit 3
if ((fetch_only)); then echo "$ptxas"; exit 0; fi
version=$("$ptxas" --version | sed -n 's/.*release \([0-9.]*\).*/\1/p')

shopt -s nullglob
files=("$dir"/*.ptx)
((${#files[@]})) || { echo "ptxas-check: no .ptx files in $dir" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# One kernel on one architecture: a report line on stdout.
assemble() {
  local file=$1 arch=$2 ptxas=$3 out=$4
  local name log status regs spill_st spill_ld smem stack
  name=$(basename "$file" .ptx)
  log=$out/$name.$arch.log
  if "$ptxas" -v -arch="$arch" -o "$out/$name.$arch.cubin" "$file" >"$log" 2>&1; then
    status=ok
  else
    status="FAILED: $(grep -m1 -i 'error' "$log" | tr '\t' ' ')"
  fi
  regs=$(sed -n 's/.*Used \([0-9]*\) registers.*/\1/p' "$log" | head -1)
  smem=$(sed -n 's/.* \([0-9]*\) bytes smem.*/\1/p' "$log" | head -1)
  stack=$(sed -n 's/^ *\([0-9]*\) bytes stack frame.*/\1/p' "$log" | head -1)
  spill_st=$(sed -n 's/.* \([0-9]*\) bytes spill stores.*/\1/p' "$log" | head -1)
  spill_ld=$(sed -n 's/.* \([0-9]*\) bytes spill loads.*/\1/p' "$log" | head -1)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$arch" "${regs:--}" "${spill_st:--}" "${spill_ld:--}" "${smem:-0}" "${stack:--}" "$status"
}
export -f assemble

echo "# ptxas $version ($ptxas), architectures $archs, $(ls "$dir"/*.ptx | wc -l) kernels from $dir"
printf 'kernel\tarch\tregisters\tspill_store_bytes\tspill_load_bytes\tshared_bytes\tstack_bytes\tstatus\n'
export PTXAS_BIN=$ptxas REPORT_DIR=$out
report=$(for f in "${files[@]}"; do for a in ${archs//,/ }; do printf '%s\0%s\0' "$f" "$a"; done; done \
  | xargs -0 -n 2 -P "$(nproc)" bash -c 'assemble "$1" "$2" "$PTXAS_BIN" "$REPORT_DIR"' _)
printf '%s\n' "$report" | sort

failed=$(printf '%s\n' "$report" | awk -F'\t' '$8 != "ok"' | wc -l)
spills=$(printf '%s\n' "$report" | awk -F'\t' '$1 ~ /^Gemm/ && (($4 != "-" && $4 > 0) || ($5 != "-" && $5 > 0))' | wc -l)
if ((failed > 0 || spills > 0)); then
  echo "# FAILED: $failed kernel/architecture pairs did not assemble; $spills GEMM kernel/architecture pairs spill registers"
  exit 1
fi
echo "# ok: every kernel assembled for $archs; no GEMM kernel spills"
