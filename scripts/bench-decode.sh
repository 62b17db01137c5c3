#!/usr/bin/env bash
# Decode throughput side by side: the VaeOnnx runtime (ONNX Runtime through its official .NET package, `bench` command) and PyTorch
# eager running the same decoder weights (../shared/bench/torch_decode_ref.py reads them from decoder.onnx).
# Batch sizes 1, 64 and 256, the same thread count on both sides. Numbers depend on the machine and its load.
# Usage: scripts/bench-decode.sh MODEL_DIR [THREADS]   (TORCH_DECODE_REF=path overrides the reference script)
set -euo pipefail
cd "$(dirname "$0")/.."

model=${1:?usage: scripts/bench-decode.sh MODEL_DIR [THREADS]}
threads=${2:-2}
reference=${TORCH_DECODE_REF:-../shared/bench/torch_decode_ref.py}
[ -f "$model/decoder.onnx" ] || { echo "bench-decode: no decoder.onnx in '$model'; pass a trained model folder." >&2; exit 1; }
[ -f "$reference" ] || { echo "bench-decode: PyTorch reference '$reference' not found; set TORCH_DECODE_REF." >&2; exit 1; }

dotnet build runtime/Host -c Release -nologo -v quiet >/dev/null
runtime=(dotnet run --project runtime/Host -c Release --no-build --)
latent=$("${runtime[@]}" info --model "$model" | awk '/^latent size:/ {print $3}')

echo "== VaeOnnx runtime: ONNX Runtime, $threads intra-op threads"
"${runtime[@]}" bench --model "$model" --threads "$threads" --batches 1,64,256
echo
echo "== PyTorch eager: reference decoder with the same weights, $threads threads"
if /usr/bin/python3 -c 'import torch, onnx' 2>/dev/null; then
  /usr/bin/python3 "$reference" --weights "$model/decoder.onnx" --threads "$threads" --latent "$latent"
else
  echo "(skipped: /usr/bin/python3 lacks torch or onnx; VAEONNX_WITH_TORCH=1 scripts/setup.sh installs them)"
fi
