#!/usr/bin/env bash
# Packs everything scripts/gpu-check.sh needs on a bare Linux machine with an NVIDIA GPU (no .NET, no network) into
# one git-ignored folder, at most 54 MiB: a lent machine receives the repository's tracked files and this folder
# together (the device tool's carry), within 64 MiB in all. On that machine: bash scripts/gpu-check.sh "$OUT".
#   trainer.tar.xz         the trainer, published framework-dependent for linux-x64 (no .pdb, no translations)
#   dotnet-runtime.tar.xz  this machine's .NET runtime: dotnet, host/ and shared/Microsoft.NETCore.App/<version>/
#   mnist/                 the four MNIST IDX files (.gz, as the trainer and the PyTorch reference read them)
#   torch_vae_ref.py       the PyTorch reference (../shared/bench), timed beside the trainer on the same GPU
#   gpu-check.sh           the check itself, so the folder is all a GPU machine needs
# It fails, saying why, if the published trainer needs the ASP.NET Core runtime (that would drag a second framework
# along). It runs nothing on a GPU and does not build the runtime/ project's own deployment.
# Usage: scripts/gpu-bundle.sh [OUTDIR]        (default out/gpu-bundle; VAEONNX_SHARED overrides ../shared)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$root/out/gpu-bundle}
shared=${VAEONNX_SHARED:-$root/../shared}
limit_mib=54
mnist_files=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)

fail() { echo "gpu-bundle: $*" >&2; exit 1; }

command -v dotnet >/dev/null || fail "dotnet is not on PATH; install the .NET 10 SDK (global.json)."
command -v xz >/dev/null || fail "xz is not installed (apt-get install -y xz-utils)."
for f in "${mnist_files[@]}"; do
  [[ -f $shared/data/mnist/$f ]] || fail "$shared/data/mnist/$f is missing; run scripts/setup.sh or set VAEONNX_SHARED."
done
[[ -f $shared/bench/torch_vae_ref.py ]] || fail "$shared/bench/torch_vae_ref.py is missing; set VAEONNX_SHARED to the shared folder."

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

echo "== publishing the trainer (framework-dependent, linux-x64)"
dotnet publish "$root/trainer" -c Release -r linux-x64 --self-contained false -p:SatelliteResourceLanguages=en \
  -o "$stage/trainer" --nologo -v quiet
config=$stage/trainer/VaeOnnx.Trainer.runtimeconfig.json
[[ -f $config ]] || fail "the publish wrote no $(basename "$config")."
if grep -q '"Microsoft.AspNetCore.App"' "$config"; then
  fail "the published trainer needs the ASP.NET Core runtime (its runtimeconfig.json lists Microsoft.AspNetCore.App, through a project it references); the bundle ships only Microsoft.NETCore.App. Make the trainer reference only the ASP.NET-free part of runtime/ (runtime/Core)."
fi
rm -f "$stage"/trainer/*.pdb
# ONNX Runtime's library arrives twice (libonnxruntime.so and .so.1, identical copies): ship one and a link.
if [[ -f $stage/trainer/libonnxruntime.so.1 && -f $stage/trainer/libonnxruntime.so ]] \
   && cmp -s "$stage/trainer/libonnxruntime.so" "$stage/trainer/libonnxruntime.so.1"; then
  ln -sf libonnxruntime.so "$stage/trainer/libonnxruntime.so.1"
fi

dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
framework=$(ls -d "$dotnet_root"/shared/Microsoft.NETCore.App/10.* 2>/dev/null | sort -V | tail -1)
[[ -n $framework ]] || fail "no Microsoft.NETCore.App 10.x under $dotnet_root/shared."
framework_version=$(basename "$framework")

rm -rf "$out"
mkdir -p "$out/mnist"
echo "== packing the trainer"
XZ_OPT=-9 tar -C "$stage/trainer" -cJf "$out/trainer.tar.xz" .
echo "== packing the .NET runtime $framework_version from $dotnet_root"
XZ_OPT=-9 tar -C "$dotnet_root" -cJf "$out/dotnet-runtime.tar.xz" dotnet host "shared/Microsoft.NETCore.App/$framework_version"
for f in "${mnist_files[@]}"; do cp "$shared/data/mnist/$f" "$out/mnist/"; done
cp "$shared/bench/torch_vae_ref.py" "$out/"
cp "$root/scripts/gpu-check.sh" "$out/"
git -C "$root" rev-parse --short HEAD > "$out/commit.txt" 2>/dev/null || echo unknown > "$out/commit.txt"

echo "== bundle $out"
(cd "$out" && du -b trainer.tar.xz dotnet-runtime.tar.xz mnist torch_vae_ref.py gpu-check.sh | awk '{printf "%8.1f MiB  %s\n", $1 / 1048576, $2}')
bytes=$(du -sb "$out" | cut -f1)
mib=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
echo "total ${mib} MiB (limit ${limit_mib} MiB); trainer $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'), .NET $framework_version"
if (( bytes > limit_mib * 1048576 )); then
  fail "the bundle is ${mib} MiB, over the ${limit_mib} MiB limit."
fi
