#!/usr/bin/env bash
# The literature comparison: a one-stochastic-layer VAE trained on dynamically binarized MNIST, then its test-set
# negative log-likelihood estimated by importance sampling with k = 5000 (Burda et al. 2015 report about 86-87 nats
# for such models after thousands of epochs; pythae's VAE benchmark reports 89.8). The test set is binarized once with
# a fixed seed. Both numbers printed are nats per image; lower is better.
# Usage: scripts/binarized-mnist-nll.sh [RUN_DIR] [EPOCHS] [K] [TEST_LIMIT]
#   defaults: runs/binarized-mnist, 100 epochs, k = 5000, all 10000 test images (about 30 minutes of scoring on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."

run=${1:-runs/binarized-mnist}
epochs=${2:-100}
k=${3:-5000}
limit=${4:-}

dotnet build trainer -c Release -nologo -v quiet >/dev/null
trainer=(dotnet run --project trainer -c Release --no-build --)
if [ -f "$run/checkpoint.bin" ]; then
  "${trainer[@]}" train --resume "$run" --epochs "$epochs"
else
  "${trainer[@]}" train --arch mlp --latent 50 --hidden 400 --binarize dynamic --epochs "$epochs" --out "$run"
fi
"${trainer[@]}" evaluate --model "$run" --iw-samples "$k" ${limit:+--test-limit "$limit"}
