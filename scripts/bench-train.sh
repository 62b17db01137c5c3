#!/usr/bin/env bash
# Training speed side by side: one MNIST epoch (60,000 images, batch 128, Adam) of the VaeOnnx engine
# (`trainer bench epoch`) and of PyTorch running the same network (../shared/bench/torch_vae_ref.py --epochs 1),
# for the conv VAE (latent 16) and the MLP VAE (latent 2), with the same thread count, one after the other.
# Also prints the engine's kernel throughput against the machine's peak (`trainer bench kernels`).
# Usage: scripts/bench-train.sh [THREADS]   (TORCH_VAE_REF=path overrides the reference script)
set -euo pipefail
cd "$(dirname "$0")/.."

threads=${1:-2}
reference=${TORCH_VAE_REF:-../shared/bench/torch_vae_ref.py}
data=${VAEONNX_DATA:-data/mnist}
[ -f "$reference" ] || { echo "bench-train: PyTorch reference '$reference' not found; set TORCH_VAE_REF." >&2; exit 1; }
/usr/bin/python3 -c 'import torch' 2>/dev/null || { echo "bench-train: /usr/bin/python3 lacks torch; run VAEONNX_WITH_TORCH=1 scripts/setup.sh" >&2; exit 1; }

dotnet build trainer -c Release -nologo -v quiet >/dev/null
trainer=(dotnet run --project trainer -c Release --no-build --)

for arch in conv mlp; do
  latent=16; [ "$arch" = mlp ] && latent=2
  echo "== $arch VAE, latent $latent: VaeOnnx engine, $threads threads"
  /usr/bin/time -f "peak RSS %M KB" "${trainer[@]}" bench epoch --arch "$arch" --threads "$threads" --data "$data"
  echo "== $arch VAE, latent $latent: PyTorch, $threads threads"
  /usr/bin/time -f "peak RSS %M KB" /usr/bin/python3 "$reference" --arch "$arch" --latent "$latent" --epochs 1 --threads "$threads" --data "$data"
  echo
done
echo "== VaeOnnx kernels"
"${trainer[@]}" bench kernels --threads "$threads"
