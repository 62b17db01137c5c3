#!/usr/bin/env bash
# Builds the service's container image (deploy/container/Dockerfile) from a self-contained linux publish of
# runtime/Host: publishes it (scripts/publish-runtime.sh --self-contained) unless --app gives one, then runs
# `docker build` or `podman build` with the repository as the context. Prints the image's name and size.
# Usage: scripts/build-image.sh [--engine docker|podman] [--image NAME:TAG] [--base IMAGE] [--model DIR] [--app DIR] [--rid linux-x64|linux-arm64]
#   --image  default vaeonnx-runtime:VERSION (VersionPrefix of Directory.Build.props; deploy/kubernetes uses the same name)
#   --base   default mcr.microsoft.com/dotnet/runtime-deps:10.0 (the Dockerfile's BASE_IMAGE)
#   --model  the model folder baked in at /models (default models/mnist-conv; deploy/container/no-model for none)
#   --app    an existing self-contained publish (default: publish into out/runtime/RID-self-contained now)
set -euo pipefail
cd "$(dirname "$0")/.."

image_name=vaeonnx-runtime
version=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' Directory.Build.props)
image="$image_name:$version"
engine=""
base=""
model=models/mnist-conv
app=""
rid=linux-x64
while [ $# -gt 0 ]; do
  [ "$1" = -h ] || [ "$1" = --help ] && { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0; }
  [ $# -ge 2 ] || { echo "build-image: $1 needs a value; see --help" >&2; exit 2; }
  case "$1" in
    --engine) engine=$2 ;;
    --image) image=$2 ;;
    --base) base=$2 ;;
    --model) model=$2 ;;
    --app) app=$2 ;;
    --rid) rid=$2 ;;
    *) echo "build-image: unknown option '$1'; see --help" >&2; exit 2 ;;
  esac
  shift 2
done
case "$rid" in linux-x64|linux-arm64) ;; *) echo "build-image: --rid $rid: the image is linux-x64 or linux-arm64" >&2; exit 2 ;; esac
if [ -z "$engine" ]; then
  if command -v docker >/dev/null; then engine=docker; elif command -v podman >/dev/null; then engine=podman; else
    echo "build-image: neither docker nor podman is on PATH; install one (scripts/setup.sh installs podman)" >&2; exit 1
  fi
fi
for file in encoder.onnx decoder.onnx; do
  [ "$model" = deploy/container/no-model ] || [ -f "$model/$file" ] || { echo "build-image: --model $model has no $file; give a model folder (or deploy/container/no-model)" >&2; exit 1; }
done
case "$model" in /*|../*) echo "build-image: --model $model must be a folder inside the repository (the build context); copy it under models/" >&2; exit 1 ;; esac
if [ -z "$app" ]; then
  app="out/runtime/$rid-self-contained"
  scripts/publish-runtime.sh --self-contained --out "$app" "$rid"
fi
case "$app" in out/runtime/*) ;; *) echo "build-image: --app $app must be under out/runtime/ (the only publish folder the build context lets in)" >&2; exit 1 ;; esac
[ -x "$app/vaeonnx-runtime" ] || { echo "build-image: $app has no vaeonnx-runtime; give a self-contained linux publish" >&2; exit 1; }

platform=$([ "$rid" = linux-arm64 ] && echo linux/arm64 || echo linux/amd64)
args=(build -f deploy/container/Dockerfile -t "$image" --platform "$platform" --build-arg "APP_DIR=$app" --build-arg "MODEL_DIR=$model")
[ -z "$base" ] || args+=(--build-arg "BASE_IMAGE=$base")
# podman writes OCI images by default, which have no HEALTHCHECK; the docker format keeps it.
[ "$engine" != podman ] || args+=(--format docker)
echo "build-image: $engine ${args[*]} ."
"$engine" "${args[@]}" . >&2
size=$("$engine" image inspect -f '{{.Size}}' "$image")
echo "build-image: $image, $((size / 1000000)) MB"
