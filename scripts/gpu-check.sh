#!/usr/bin/env bash
# The GPU check, for a bare Linux machine with an NVIDIA GPU, xz and python3 with PyTorch (no .NET, no network).
# It unpacks the bundle made by scripts/gpu-bundle.sh and, each step bounded by `timeout` and all of them by a
# total budget (about 8 minutes), writes into OUTDIR:
#   nvidia-smi.txt, devices.log            the GPU and what the trainer sees
#   parity.log                             one training step on CUDA against the CPU engine (conv and MLP), same
#                                          weights, batch and noise; fails beyond 1e-4 relative
#   bench-*.log, torch-*.log               epoch times, conv VAE on MNIST and on synthetic 64x64 RGB (50,000 images),
#                                          the trainer beside PyTorch eager and --compile on the same GPU; epochs
#                                          after the first are compared; 64x64 RGB once more with the training set
#                                          streamed in double-buffered chunks (--device-data stream)
#   train.log, train-run/                  10 conv epochs on MNIST on the GPU; the test loss against the CPU engine's
#                                          101.68 +- 0.35 nats (16 seeds)
#   summary.md                             all of it in one table
# It changes nothing outside OUTDIR and needs no root. Exit code: 0 when every step passed, 1 when one failed or ran
# out of time (the summary says which), 2 for bad arguments.
# Usage: gpu-check.sh [--bundle DIR] [--budget SECONDS] [--device D] OUTDIR
#   --bundle  the folder gpu-bundle.sh wrote [default: this script's folder if it holds the bundle, else
#             out/gpu-bundle beside scripts/]
#   --budget  seconds for all steps together [default: 480]; a step never runs past what is left
#   --device  the trainer's device [default: cuda; cuda:N for another GPU]; `cpu` only tries the script's own flow on
#             a machine without a GPU (no nvidia-smi needed; it checks no GPU)
set -uo pipefail

usage() { sed -n '2,/^set /{/^#/s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}"; }
die() { echo "gpu-check: $*" >&2; exit 1; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bundle=""
budget=480
device=cuda
out=""
while (($#)); do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --bundle) [[ $# -ge 2 ]] || { echo "gpu-check: --bundle needs a folder" >&2; exit 2; }; bundle=$2; shift 2 ;;
    --budget) [[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || { echo "gpu-check: --budget needs a number of seconds" >&2; exit 2; }; budget=$2; shift 2 ;;
    --device) [[ $# -ge 2 && $2 =~ ^(cuda(:[0-9]+)?|cpu)$ ]] || { echo "gpu-check: --device takes cuda, cuda:N or cpu" >&2; exit 2; }; device=$2; shift 2 ;;
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
else
  echo "gpu-check: --device $device: trying the script's flow only; no GPU is checked." >&2
  torch_device=cpu
fi
command -v xz >/dev/null || die "xz is not installed; it unpacks the bundle."
command -v python3 >/dev/null || die "python3 is not installed; it runs the PyTorch reference."

mkdir -p "$out" || die "cannot create $out."
out=$(cd "$out" && pwd)
bundle=$(cd "$bundle" && pwd)
work=$out/work
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
rm -rf "$work" && mkdir -p "$work/dotnet" "$work/trainer"
tar -C "$work/dotnet" -xJf "$bundle/dotnet-runtime.tar.xz" || die "could not unpack dotnet-runtime.tar.xz."
tar -C "$work/trainer" -xJf "$bundle/trainer.tar.xz" || die "could not unpack trainer.tar.xz."
export DOTNET_ROOT=$work/dotnet DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
trainer=("$DOTNET_ROOT/dotnet" "$work/trainer/VaeOnnx.Trainer.dll")
mnist=$bundle/mnist
torch_ref=("python3" "$bundle/torch_vae_ref.py")

if [[ $device == cuda* ]]; then
  nvidia-smi | tee "$out/nvidia-smi.txt"
  gpu=$(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null | head -1)
else
  gpu="none (--device $device)"
fi
have_torch=1
python3 -c "import torch, sys; sys.exit(0 if '$torch_device' == 'cpu' or torch.cuda.is_available() else 1)" >"$out/torch-import.log" 2>&1 || have_torch=0
no_torch() {
  rows+=("| $1 | skipped: PyTorch$([[ $torch_device == cuda ]] && echo " with CUDA") is not usable here (torch-import.log) | |"); failed=1
}

step "trainer devices" 30 "$out/devices.log" "${trainer[@]}" devices
step "GPU-vs-CPU step parity (conv, mlp)" 90 "$out/parity.log" "${trainer[@]}" check-device --device "$device" --arch all

# Epoch times: ours (3 epochs, the first includes compiling the kernels), PyTorch eager and --compile (3 epochs).
step "bench epoch conv MNIST, $device" 60 "$out/bench-mnist.log" "${trainer[@]}" bench epoch --device "$device" --arch conv --epochs 3 --data "$mnist"
if ((have_torch)); then
  step "torch eager conv MNIST" 60 "$out/torch-eager-mnist.log" "${torch_ref[@]}" --device "$torch_device" --arch conv --epochs 3 --data "$mnist"
  step "torch --compile conv MNIST" 90 "$out/torch-compile-mnist.log" "${torch_ref[@]}" --device "$torch_device" --compile --arch conv --epochs 3 --data "$mnist"
else
  no_torch "torch eager and --compile conv MNIST"
fi
step "train 10 conv epochs on MNIST, $device" 120 "$out/train.log" "${trainer[@]}" train --device "$device" --arch conv --epochs 10 --data "$mnist" --out "$out/train-run"
step "bench epoch conv 64x64 RGB, $device" 75 "$out/bench-rgb64.log" "${trainer[@]}" bench epoch --device "$device" --arch conv --epochs 3 --synthetic --size 64 --channels 3 --train-limit 50000
if ((have_torch)); then
  step "torch eager conv 64x64 RGB" 60 "$out/torch-eager-rgb64.log" "${torch_ref[@]}" --device "$torch_device" --arch conv --epochs 3 --synthetic --size 64 --channels 3 --train-n 50000
  step "torch --compile conv 64x64 RGB" 90 "$out/torch-compile-rgb64.log" "${torch_ref[@]}" --device "$torch_device" --compile --arch conv --epochs 3 --synthetic --size 64 --channels 3 --train-n 50000
else
  no_torch "torch eager and --compile conv 64x64 RGB"
fi
# The same 64x64 RGB epochs with the set streamed through the device in double-buffered chunks instead of resident.
step "bench epoch conv 64x64 RGB streamed, $device" 75 "$out/bench-rgb64-stream.log" "${trainer[@]}" bench epoch --device "$device" --device-data stream --arch conv --epochs 3 --synthetic --size 64 --channels 3 --train-limit 50000

# Mean seconds of the epochs after the first: ours print "epoch N wall time S s", PyTorch "epoch N ... sec S".
ours_mean() { awk '/^epoch [0-9]+ wall time/ { if ($2 > 1) { s += $5; n++ } } END { if (n) printf "%.2f", s / n; else printf "-" }' "$1" 2>/dev/null || printf -- "-"; }
torch_mean() { awk '/^epoch [0-9]+ train/ { for (i = 1; i < NF; i++) if ($i == "sec" && $2 > 1) { s += $(i + 1); n++ } } END { if (n) printf "%.2f", s / n; else printf "-" }' "$1" 2>/dev/null || printf -- "-"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "-" && b != "-" && b > 0) printf "%.2f", a / b; else printf "-" }'; }

m_ours=$(ours_mean "$out/bench-mnist.log"); m_eager=$(torch_mean "$out/torch-eager-mnist.log"); m_compile=$(torch_mean "$out/torch-compile-mnist.log")
r_ours=$(ours_mean "$out/bench-rgb64.log"); s_ours=$(ours_mean "$out/bench-rgb64-stream.log"); r_eager=$(torch_mean "$out/torch-eager-rgb64.log"); r_compile=$(torch_mean "$out/torch-compile-rgb64.log")
test_loss=$(awk '/^epoch 10\/10 / { for (i = 1; i < NF; i++) if ($i == "test") print $(i + 1) }' "$out/train.log" 2>/dev/null | tail -1)
loss_verdict="-"
if [[ -n $test_loss ]]; then
  loss_verdict=$(awk -v l="$test_loss" 'BEGIN { d = l - 101.68; printf "%+.2f nats from the CPU mean (%.1f standard deviations): %s", d, d / 0.35, (d <= 0.35 && d >= -0.35) ? "within the spread" : "outside the spread" }')
  [[ $loss_verdict == *"outside the spread"* ]] && failed=1
fi

{
  echo "# GPU check"
  echo
  echo "- trainer commit: $(cat "$bundle/commit.txt" 2>/dev/null || echo unknown); bundle: $bundle"
  echo "- GPU: ${gpu:-unknown}; date: $(date -u '+%Y-%m-%d %H:%M UTC'); wall time: $((SECONDS - start)) s of a ${budget} s budget"
  echo "- PyTorch: $( ((have_torch)) && python3 -c 'import torch; print(torch.__version__, "CUDA", torch.version.cuda)' 2>/dev/null || echo "not usable with CUDA here (torch-import.log)")"
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
  grep -E "^check-device" "$out/parity.log" 2>/dev/null || echo "(no parity output; see parity.log)"
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
  echo "Targets (issue 14): MNIST at most half of eager and no slower than --compile; 64x64 RGB no slower than eager."
  echo
  echo "## 10 conv epochs on MNIST on $device"
  echo
  echo "test loss ${test_loss:-not reached} nats/image; CPU engine 101.68 +- 0.35 over 16 seeds; ${loss_verdict}"
} >"$out/summary.md"

echo
cat "$out/summary.md"
exit $failed
