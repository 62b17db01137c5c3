#!/usr/bin/env bash
# The literature comparison: a one-stochastic-layer VAE trained on dynamically binarized MNIST, then its test-set
# negative log-likelihood estimated by importance sampling with k = 5000 (Burda et al. 2015 report 86.76 nats for a
# one-layer VAE and 84.78 for an IWAE trained with k = 50, after 3280 epochs; pythae's VAE benchmark reports 89.8). The
# test set is binarized once with a fixed seed. Both numbers printed are nats per image, mean ± standard error; lower
# is better.
# Usage:
#   scripts/binarized-mnist-nll.sh --model DIR [--k K] [--test-limit N]
#       evaluates a trained model from its checkpoint.bin: the shipped one is models/mnist-binarized
#   scripts/binarized-mnist-nll.sh --recipe mlp|resconv [--run DIR] [--epochs N] [--k K] [--test-limit N]
#       trains the recipe into DIR (or resumes it there, up to --epochs), then evaluates it
#         mlp:     784-400-50, 100 epochs, constant lr (the first baseline: 91.57 nats after 50 epochs)
#         resconv: the recipe of models/mnist-binarized (its README.md: the exact command and the epochs it ran)
#   scripts/binarized-mnist-nll.sh [RUN_DIR] [EPOCHS] [K] [TEST_LIMIT]     (the earlier form: the mlp recipe)
# Defaults: k = 5000 on all 10,000 test images (hours of scoring on 2 cores for a conv decoder; --test-limit 1000 and
# --k 500 give a quick look).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,/^set /{/^#/s/^# \{0,1\}//p}' "$0"; }
die() { echo "binarized-mnist-nll: $*" >&2; exit 2; }

model="" recipe="" run="" epochs="" k=5000 limit=""
if [[ $# -gt 0 && $1 != -* ]]; then
  recipe=mlp run=${1:-} epochs=${2:-} k=${3:-5000} limit=${4:-}
else
  while (($#)); do
    case $1 in
      -h|--help) usage; exit 0 ;;
      --model) [[ $# -ge 2 ]] || die "--model needs a folder"; model=$2; shift 2 ;;
      --recipe) [[ $# -ge 2 && $2 =~ ^(mlp|resconv)$ ]] || die "--recipe takes mlp or resconv"; recipe=$2; shift 2 ;;
      --run) [[ $# -ge 2 ]] || die "--run needs a folder"; run=$2; shift 2 ;;
      --epochs) [[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || die "--epochs needs a number"; epochs=$2; shift 2 ;;
      --k) [[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || die "--k needs a number"; k=$2; shift 2 ;;
      --test-limit) [[ $# -ge 2 && $2 =~ ^[0-9]+$ ]] || die "--test-limit needs a number"; limit=$2; shift 2 ;;
      *) die "unknown argument $1 (see --help)" ;;
    esac
  done
fi
[[ -n $model || -n $recipe ]] || die "give --model DIR or --recipe mlp|resconv (see --help)"
[[ -z $model || -z $recipe ]] || die "--model evaluates a trained model; --recipe trains one: give one of them"

dotnet build trainer -c Release -nologo -v quiet >/dev/null
trainer=(dotnet run --project trainer -c Release --no-build --)

if [[ -n $recipe ]]; then
  case $recipe in
    mlp)
      run=${run:-runs/binarized-mnist}
      epochs=${epochs:-100}
      train=(--arch mlp --latent 50 --hidden 400 --binarize dynamic --epochs "$epochs") ;;
    resconv)
      # The recipe of models/mnist-binarized (README.md there): its cosine schedule lasts 150 epochs whatever --epochs
      # says, so the run can be trained in pieces (--epochs 40, then --epochs 80 on the same --run, ...).
      run=${run:-runs/mnist-binarized}
      epochs=${epochs:-150}
      train=(--arch resconv --res-blocks 1 --conv-channels 32 --latent 32 --binarize dynamic --batch 128 --lr 1e-3
        --lr-schedule cosine --lr-final 1e-5 --lr-schedule-epochs 150 --seed 1 --epochs "$epochs") ;;
  esac
  if [[ -f $run/checkpoint.bin ]]; then
    "${trainer[@]}" train --resume "$run" --epochs "$epochs" --data data/mnist
  else
    "${trainer[@]}" train "${train[@]}" --out "$run"
  fi
  model=$run
fi
[[ -f $model/checkpoint.bin ]] || die "$model holds no checkpoint.bin; evaluate needs the trained network (a run folder or models/mnist-binarized)"
# The data folder is named: a checkpoint records the absolute one it was trained from (another machine's, for a shipped
# model); scripts/setup.sh links data/mnist here.
"${trainer[@]}" evaluate --model "$model" --data data/mnist --binarize dynamic --iw-samples "$k" ${limit:+--test-limit "$limit"}
