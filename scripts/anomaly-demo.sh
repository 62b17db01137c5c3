#!/usr/bin/env bash
# The anomaly-detection demonstration (trainer `anomaly-demo`): train an MLP VAE on MNIST digits 0-8, then score the
# held-out 9s, uniform noise, inverted digits and synthetic shapes against the normal test digits; prints AUROC per set
# and writes anomaly-report.md/.json, anomaly-histograms.png, anomaly-extremes.png and calibration.json into OUT_DIR.
# Full size (10 epochs on the 54k training digits 0-8, the whole test set, k = 16) takes a few minutes on 2 cores.
# Usage: scripts/anomaly-demo.sh [OUT_DIR] [more anomaly-demo options]
#   quick check: scripts/anomaly-demo.sh /tmp/demo --epochs 3 --train-limit 6000 --test-limit 1000 --synthetic 200
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-runs/anomaly-demo}
[ $# -gt 0 ] && shift
if [ -f "$out/checkpoint.bin" ]; then
  echo "anomaly-demo: $out already holds a run; analysing it again (delete the folder to train afresh)." >&2
  set -- --model "$out" "$@"
fi

dotnet build trainer -c Release -nologo -v quiet >/dev/null
dotnet run --project trainer -c Release --no-build -- anomaly-demo --out "$out" "$@"
echo
echo "Score your own PNGs against the demo's threshold:"
echo "  dotnet run --project runtime/Host -c Release -- score --model $out --in your-digit.png"
