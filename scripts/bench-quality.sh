#!/usr/bin/env bash
# Training quality side by side: the test loss (negative ELBO, nats per image) after EPOCHS epochs of the VaeOnnx
# trainer and of PyTorch running the same network (../shared/bench/torch_vae_ref.py), over several seeds each,
# then the per-seed results and each side's mean and standard deviation. Seed spread is large (a few tenths of a nat
# for the conv VAE, over a nat for the 2-D MLP), so one run per side says little.
# A 10-epoch conv run takes about 1.5 minutes here and about 6-8 minutes in PyTorch (2 threads).
# Usage: scripts/bench-quality.sh [conv|mlp] [SEEDS] [EPOCHS] [THREADS]   e.g. scripts/bench-quality.sh conv "1 2 3 4" 10 2
# Runs go to $VAEONNX_QUALITY_RUNS (default runs/quality); a seed already finished there is not run again.
set -euo pipefail
cd "$(dirname "$0")/.."

arch=${1:-conv}
seeds=${2:-"1 2 3 4"}
epochs=${3:-10}
threads=${4:-2}
reference=${TORCH_VAE_REF:-../shared/bench/torch_vae_ref.py}
data=${VAEONNX_DATA:-data/mnist}
runs=${VAEONNX_QUALITY_RUNS:-runs/quality}
latent=16; [ "$arch" = mlp ] && latent=2
[ "$arch" = conv ] || [ "$arch" = mlp ] || { echo "bench-quality: architecture '$arch' is not conv or mlp." >&2; exit 1; }
[ -f "$reference" ] || { echo "bench-quality: PyTorch reference '$reference' not found; set TORCH_VAE_REF." >&2; exit 1; }
/usr/bin/python3 -c 'import torch' 2>/dev/null || { echo "bench-quality: /usr/bin/python3 lacks torch; run VAEONNX_WITH_TORCH=1 scripts/setup.sh" >&2; exit 1; }

dotnet build trainer -c Release -nologo -v quiet >/dev/null
mkdir -p "$runs"
for seed in $seeds; do
  ours="$runs/vaeonnx-$arch-e$epochs-seed$seed"
  if [ ! -f "$ours/metrics.csv" ] || [ "$(tail -n +2 "$ours/metrics.csv" | wc -l)" -lt "$epochs" ]; then
    rm -rf "$ours"
    echo "== VaeOnnx $arch, seed $seed"
    dotnet run --project trainer -c Release --no-build -- --arch "$arch" --latent "$latent" --epochs "$epochs" \
      --seed "$seed" --threads "$threads" --data "$data" --out "$ours" > "$ours.log" 2>&1 \
      || { echo "bench-quality: the trainer failed; see $ours.log" >&2; exit 1; }
  fi
  theirs="$runs/pytorch-$arch-e$epochs-seed$seed.log"
  if ! grep -q "^epoch $epochs " "$theirs" 2>/dev/null; then
    echo "== PyTorch $arch, seed $seed"
    /usr/bin/python3 "$reference" --arch "$arch" --latent "$latent" --epochs "$epochs" --threads "$threads" \
      --seed "$seed" --data "$data" > "$theirs.tmp" && mv "$theirs.tmp" "$theirs"
  fi
done

/usr/bin/python3 - "$runs" "$arch" "$epochs" $seeds <<'EOF'
import csv, re, statistics, sys
runs, arch, epochs, seeds = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
ours, theirs = [], []
print(f"test loss after {epochs} epochs, {arch} VAE (nats per image)")
print(f"{'seed':>6} {'VaeOnnx':>9} {'PyTorch':>9}")
for s in seeds:
    rows = list(csv.DictReader(open(f"{runs}/vaeonnx-{arch}-e{epochs}-seed{s}/metrics.csv")))
    o = float(rows[-1]['test_loss'])
    t = float(re.findall(rf"^epoch {epochs} train \S+ test (\S+)", open(f"{runs}/pytorch-{arch}-e{epochs}-seed{s}.log").read(), re.M)[0])
    ours.append(o); theirs.append(t)
    print(f"{s:>6} {o:9.2f} {t:9.2f}")
def summary(v): return f"{statistics.mean(v):9.2f}" + (f" ± {statistics.stdev(v):.2f}" if len(v) > 1 else "")
print(f"{'mean':>6} {summary(ours)}   {summary(theirs)}")
if len(seeds) > 1:
    se = (statistics.variance(ours) / len(ours) + statistics.variance(theirs) / len(theirs)) ** 0.5
    print(f"difference of the means (VaeOnnx - PyTorch): {statistics.mean(ours) - statistics.mean(theirs):+.2f} "
          f"(standard error {se:.2f})")
EOF
