#!/usr/bin/env bash
# The GPU check, for a bare Linux machine with an NVIDIA GPU and python3 (PyTorch for the reference timings; xz, or
# Python's lzma when xz is missing); no .NET, no network. On a lent GPU machine, from the repository root with the
# bundle carried along (the device tool's run, carry ["out/gpu-bundle"]), the one command is:
#   bash scripts/gpu-check.sh "$OUT"
# It unpacks the bundle made by scripts/gpu-bundle.sh into a scratch folder and runs, each step bounded by `timeout`
# and all of them by a total budget (about 9 minutes):
#   nvidia-smi.txt, devices.log            the GPU and what the trainer sees
#   parity.log                             one training step on CUDA against the CPU engine (conv and MLP), same
#                                          weights, batch and noise; fails beyond 1e-4 relative
#   kernels.log                            bench kernels: GEMM GFLOP/s at the VAE's shapes, conv layer timings
#   bench-*.log, torch-*.log               epoch times, conv VAE on MNIST and on synthetic 64x64 RGB (50,000 images),
#                                          the trainer beside PyTorch eager and --compile on the same GPU; epochs
#                                          after the first are compared; 64x64 RGB once more with the training set
#                                          streamed in double-buffered chunks (--device-data stream)
#   train.log, train-run/                  10 conv epochs on MNIST on the GPU; the test loss against the CPU engine's
#                                          101.68 nats (16 seeds, sd 0.35): a gate of +-1 nat
# Only a few files of at most 16 MiB come back from a lent machine, so OUTDIR receives exactly two: summary.md (every
# step's result and the numbers) and gpu-check.tar.xz (every log, and the training run without its checkpoints when
# they would not fit; at most 16 MiB). The scratch folder (the unpacked trainer and .NET, about 120 MB) is deleted.
# It changes nothing outside OUTDIR and the scratch folder and needs no root. Exit code: 0 when every step passed, 1
# when one failed or ran out of time (the summary says which), 2 for bad arguments.
# Usage: gpu-check.sh [--bundle DIR] [--budget SECONDS] [--device D] [--scratch DIR] OUTDIR
#   --bundle   the folder gpu-bundle.sh wrote [default: this script's folder if it holds the bundle, else
#              out/gpu-bundle beside scripts/]
#   --budget   seconds for all steps together [default: 540]; a step never runs past what is left
#   --device   the trainer's device [default: cuda; cuda:N for another GPU]; `cpu` only tries the script's own flow on
#              a machine without a GPU (no nvidia-smi needed; it checks no GPU: the kernel step runs on ILGPU's CPU
#              accelerator, --quick)
#   --scratch  where to unpack and run [default: a new folder under ${TMPDIR:-/tmp}], deleted at the end
set -uo pipefail

usage() { sed -n '2,/^set /{/^#/s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}"; }
die() { echo "gpu-check: $*" >&2; exit 1; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bundle=""
budget=540
device=cuda
out=""
scratch=""
max_tar_bytes=$((16 * 1024 * 1024))
while (($#)); do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --bundle) [[ $# -ge 2 ]] || { echo "gpu-check: --bundle needs a folder" >&2; exit 2; }; bundle=$2; shift 2 ;;
    --budget) [[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || { echo "gpu-check: --budget needs a number of seconds" >&2; exit 2; }; budget=$2; shift 2 ;;
    --device) [[ $# -ge 2 && $2 =~ ^(cuda(:[0-9]+)?|cpu)$ ]] || { echo "gpu-check: --device takes cuda, cuda:N or cpu" >&2; exit 2; }; device=$2; shift 2 ;;
    --scratch) [[ $# -ge 2 ]] || { echo "gpu-check: --scratch needs a folder" >&2; exit 2; }; scratch=$2; shift 2 ;;
    -*) echo "gpu-check: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) [[ -z $out ]] || { echo "gpu-check: one OUTDIR only (got $out and $1)" >&2; exit 2; }; out=$1; shift ;;
  esac
done
[[ -n $out ]] || { echo "gpu-check: give the folder to write into, e.g. gpu-check.sh /tmp/gpu-check (see --help)" >&2; exit 2; }
if [[ -z $bundle ]]; then
  if [[ -f $here/trainer.tar.xz ]]; then bundle=$here; else bundle=$here/../out/gpu-bundle; fi
fi
for f in trainer.tar.xz dotnet-runtime.tar.xz torch_vae_ref.py mnist/train-images-idx3-ubyte.gz mnist/t10k-images-idx3-ubyte.gz; do
  [[ -f $bundle/$f ]] || die "$bundle/$f is missing; make the bundle with scripts/gpu-bundle.sh (or give --bundle DIR)."
done

# A GPU first: without one nothing here means anything.
if [[ $device == cuda* ]]; then
  command -v nvidia-smi >/dev/null || die "nvidia-smi is not on PATH: this machine has no NVIDIA driver, and this check needs an NVIDIA GPU."
  timeout 20 nvidia-smi -L >/dev/null 2>&1 || die "nvidia-smi found no working NVIDIA GPU (nvidia-smi -L failed); this check needs one."
  torch_device=$device
  kernel_device=$device
  kernel_flags=()
else
  echo "gpu-check: --device $device: trying the script's flow only; no GPU is checked." >&2
  torch_device=cpu
  kernel_device=ilgpu-cpu
  kernel_flags=(--quick)
fi
command -v python3 >/dev/null || die "python3 is not installed; it runs the PyTorch reference (and unpacks the bundle when xz is missing)."
if command -v xz >/dev/null; then have_xz=1; else have_xz=0; echo "gpu-check: xz is missing; using Python's lzma." >&2; fi

# unpack ARCHIVE.tar.xz DIR / pack DIR ARCHIVE.tar.xz [tar arguments after the folder]: xz when there is one, else Python.
unpack() {
  if ((have_xz)); then tar -C "$2" -xJf "$1"
  else python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1], "r:xz").extractall(sys.argv[2])' "$1" "$2"; fi
}
pack() {
  local dir=$1 archive=$2; shift 2
  if ((have_xz)); then XZ_OPT=-6 tar -C "$dir" -cJf "$archive" "$@" .
  else python3 - "$dir" "$archive" "$@" <<'PY'
import os, sys, tarfile
folder, archive = sys.argv[1], sys.argv[2]
excluded = [a.split('=', 1)[1].lstrip('./') for a in sys.argv[3:] if a.startswith('--exclude=')]
def keep(info):
    name = info.name.lstrip('./')
    return None if any(name == e or name.startswith(e + '/') for e in excluded) else info
with tarfile.open(archive, 'w:xz', preset=6) as tar:
    tar.add(folder, arcname='.', filter=keep)
PY
  fi
}

mkdir -p "$out" || die "cannot create $out."
out=$(cd "$out" && pwd)
bundle=$(cd "$bundle" && pwd)
if [[ -z $scratch ]]; then scratch=$(mktemp -d "${TMPDIR:-/tmp}/vaeonnx-gpu-check.XXXXXX") || die "cannot create a scratch folder."
else mkdir -p "$scratch" || die "cannot create $scratch."; scratch=$(cd "$scratch" && pwd); fi
trap 'rm -rf "$scratch"' EXIT
work=$scratch/work
logs=$scratch/logs
mkdir -p "$work/dotnet" "$work/trainer" "$logs"
start=$SECONDS
declare -a rows=()
failed=0

# step NAME SECONDS LOG command...: runs with the smaller of its own limit and what is left of the budget.
step() {
  local name=$1 limit=$2 log=$3; shift 3
  local left=$((budget - (SECONDS - start)))
  if ((left < 10)); then
    rows+=("| $name | skipped: the ${budget} s budget is spent | |"); failed=1
    echo "== $name: skipped (budget spent)" | tee "$log"; return 1
  fi
  ((limit > left)) && limit=$left
  echo "== $name (at most ${limit} s)"
  local t0=$SECONDS rc
  timeout --kill-after=5 "$limit" "$@" >"$log" 2>&1
  rc=$?
  tail -n 5 "$log"
  local took=$((SECONDS - t0)) status=ok
  if ((rc == 124 || rc == 137)); then status="timed out after ${limit} s"; failed=1
  elif ((rc != 0)); then status="failed (exit $rc)"; failed=1; fi
  rows+=("| $name | $status | ${took} s |")
  return $rc
}

echo "== unpacking $bundle into $work"
unpack "$bundle/dotnet-runtime.tar.xz" "$work/dotnet" || die "could not unpack dotnet-runtime.tar.xz."
unpack "$bundle/trainer.tar.xz" "$work/trainer" || die "could not unpack trainer.tar.xz."
export DOTNET_ROOT=$work/dotnet DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
trainer=("$DOTNET_ROOT/dotnet" "$work/trainer/VaeOnnx.Trainer.dll")
mnist=$bundle/mnist
torch_ref=("python3" "$bundle/torch_vae_ref.py")

if [[ $device == cuda* ]]; then
  nvidia-smi | tee "$logs/nvidia-smi.txt"
  gpu=$(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null | head -1)
else
  gpu="none (--device $device)"
fi
have_torch=1
python3 -c "import torch, sys; sys.exit(0 if '$torch_device' == 'cpu' or torch.cuda.is_available() else 1)" >"$logs/torch-import.log" 2>&1 || have_torch=0
no_torch() {
  rows+=("| $1 | skipped: PyTorch$([[ $torch_device == cuda ]] && echo " with CUDA") is not usable here (torch-import.log) | |"); failed=1
}

step "trainer devices" 30 "$logs/devices.log" "${trainer[@]}" devices
step "GPU-vs-CPU step parity (conv, mlp)" 90 "$logs/parity.log" "${trainer[@]}" check-device --device "$device" --arch all
step "bench kernels, $kernel_device" 60 "$logs/kernels.log" "${trainer[@]}" bench kernels --device "$kernel_device" "${kernel_flags[@]}"

# Epoch times: ours (3 epochs, the first includes compiling the kernels), PyTorch eager and --compile (3 epochs).
step "bench epoch conv MNIST, $device" 60 "$logs/bench-mnist.log" "${trainer[@]}" bench epoch --device "$device" --arch conv --epochs 3 --data "$mnist"
if ((have_torch)); then
  step "torch eager conv MNIST" 60 "$logs/torch-eager-mnist.log" "${torch_ref[@]}" --device "$torch_device" --arch conv --epochs 3 --data "$mnist"
  step "torch --compile conv MNIST" 90 "$logs/torch-compile-mnist.log" "${torch_ref[@]}" --device "$torch_device" --compile --arch conv --epochs 3 --data "$mnist"
else
  no_torch "torch eager and --compile conv MNIST"
fi
step "train 10 conv epochs on MNIST, $device" 120 "$logs/train.log" "${trainer[@]}" train --device "$device" --arch conv --epochs 10 --data "$mnist" --out "$logs/train-run"
step "bench epoch conv 64x64 RGB, $device" 75 "$logs/bench-rgb64.log" "${trainer[@]}" bench epoch --device "$device" --arch conv --epochs 3 --synthetic --size 64 --channels 3 --train-limit 50000
if ((have_torch)); then
  step "torch eager conv 64x64 RGB" 60 "$logs/torch-eager-rgb64.log" "${torch_ref[@]}" --device "$torch_device" --arch conv --epochs 3 --synthetic --size 64 --channels 3 --train-n 50000
  step "torch --compile conv 64x64 RGB" 90 "$logs/torch-compile-rgb64.log" "${torch_ref[@]}" --device "$torch_device" --compile --arch conv --epochs 3 --synthetic --size 64 --channels 3 --train-n 50000
else
  no_torch "torch eager and --compile conv 64x64 RGB"
fi
# The same 64x64 RGB epochs with the set streamed through the device in double-buffered chunks instead of resident.
step "bench epoch conv 64x64 RGB streamed, $device" 75 "$logs/bench-rgb64-stream.log" "${trainer[@]}" bench epoch --device "$device" --device-data stream --arch conv --epochs 3 --synthetic --size 64 --channels 3 --train-limit 50000

# Mean seconds of the epochs after the first: ours print "epoch N wall time S s", PyTorch "epoch N ... sec S".
ours_mean() { awk '/^epoch [0-9]+ wall time/ { if ($2 > 1) { s += $5; n++ } } END { if (n) printf "%.2f", s / n; else printf "-" }' "$1" 2>/dev/null || printf -- "-"; }
torch_mean() { awk '/^epoch [0-9]+ train/ { for (i = 1; i < NF; i++) if ($i == "sec" && $2 > 1) { s += $(i + 1); n++ } } END { if (n) printf "%.2f", s / n; else printf "-" }' "$1" 2>/dev/null || printf -- "-"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "-" && b != "-" && b > 0) printf "%.2f", a / b; else printf "-" }'; }

m_ours=$(ours_mean "$logs/bench-mnist.log"); m_eager=$(torch_mean "$logs/torch-eager-mnist.log"); m_compile=$(torch_mean "$logs/torch-compile-mnist.log")
r_ours=$(ours_mean "$logs/bench-rgb64.log"); s_ours=$(ours_mean "$logs/bench-rgb64-stream.log"); r_eager=$(torch_mean "$logs/torch-eager-rgb64.log"); r_compile=$(torch_mean "$logs/torch-compile-rgb64.log")
test_loss=$(awk '/^epoch 10\/10 / { for (i = 1; i < NF; i++) if ($i == "test") print $(i + 1) }' "$logs/train.log" 2>/dev/null | tail -1)
# The gate: +-1 nat around the CPU engine's mean over 16 seeds (sd 0.35): a correct run stays inside it with
# near certainty (about 3 standard deviations), while a broken kernel misses by far more.
loss_verdict="-"
if [[ -n $test_loss ]]; then
  loss_verdict=$(awk -v l="$test_loss" 'BEGIN { d = l - 101.68; printf "%+.2f nats from the CPU mean (%.1f standard deviations): %s", d, d / 0.35, (d <= 1 && d >= -1) ? "within the +-1 nat gate" : "OUTSIDE the +-1 nat gate" }')
  [[ $loss_verdict == *OUTSIDE* ]] && failed=1
fi

summary=$logs/summary.md
{
  echo "# GPU check"
  echo
  echo "- trainer commit: $(cat "$bundle/commit.txt" 2>/dev/null || echo unknown); bundle: $bundle"
  echo "- GPU: ${gpu:-unknown}; date: $(date -u '+%Y-%m-%d %H:%M UTC'); wall time: $((SECONDS - start)) s of a ${budget} s budget"
  echo "- PyTorch: $( ((have_torch)) && python3 -c 'import torch; print(torch.__version__, "CUDA", torch.version.cuda)' 2>/dev/null || echo "not usable with CUDA here (torch-import.log)")"
  echo "- every log is in gpu-check.tar.xz beside this file"
  echo
  echo "## Steps"
  echo
  echo "| step | result | took |"
  echo "| --- | --- | ---: |"
  printf '%s\n' "${rows[@]}"
  echo
  echo "## Step parity ($device against the CPU engine, max relative difference)"
  echo
  echo '```'
  grep -E "^check-device" "$logs/parity.log" 2>/dev/null || echo "(no parity output; see parity.log)"
  echo '```'
  echo
  echo "## Kernels (bench kernels --device $kernel_device ${kernel_flags[*]})"
  echo
  echo '```'
  cat "$logs/kernels.log" 2>/dev/null | head -40 || echo "(no output; see kernels.log)"
  echo '```'
  echo
  echo "## Epoch time, mean of the epochs after the first (seconds)"
  echo
  echo "| conv VAE | trainer ($device) | PyTorch eager | PyTorch --compile | trainer / eager | trainer / compile |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  echo "| MNIST 28x28 grey, 60,000 | $m_ours | $m_eager | $m_compile | $(ratio "$m_ours" "$m_eager") | $(ratio "$m_ours" "$m_compile") |"
  echo "| synthetic 64x64 RGB, 50,000 | $r_ours | $r_eager | $r_compile | $(ratio "$r_ours" "$r_eager") | $(ratio "$r_ours" "$r_compile") |"
  echo "| 64x64 RGB, set streamed (--device-data stream) | $s_ours | $r_eager | $r_compile | $(ratio "$s_ours" "$r_eager") | $(ratio "$s_ours" "$r_compile") |"
  echo
  echo "Targets (issues 14 and 18): MNIST at most half of eager and no slower than --compile; 64x64 RGB no slower than eager."
  echo
  echo "## 10 conv epochs on MNIST on $device"
  echo
  echo "test loss ${test_loss:-not reached} nats/image; CPU engine 101.68 (sd 0.35 over 16 seeds); ${loss_verdict}"
} >"$summary"

# One tarball of every log and the training run, at most 16 MiB: the checkpoints go first if it would not fit.
tarball=$out/gpu-check.tar.xz
pack "$logs" "$tarball"
if (($(stat -c %s "$tarball") > max_tar_bytes)); then
  echo "gpu-check: the logs and run come to more than 16 MiB packed; leaving the checkpoints out" >&2
  pack "$logs" "$tarball" --exclude=./train-run/checkpoint.bin
  echo "- the training run's checkpoint was left out of the tarball (it did not fit in 16 MiB)" >>"$summary"
fi
if (($(stat -c %s "$tarball") > max_tar_bytes)); then
  pack "$logs" "$tarball" --exclude=./train-run
  echo "- the training run was left out of the tarball (it did not fit in 16 MiB); its log is in it" >>"$summary"
fi
cp "$summary" "$out/summary.md"
echo
cat "$out/summary.md"
echo "gpu-check: wrote $out/summary.md and $tarball ($(stat -c %s "$tarball") bytes)"
exit $failed
