#!/usr/bin/env bash
# Publishes the runtime host (vaeonnx-runtime: CLI and `serve`) framework-dependent and RID-specific, one folder per
# platform under out/runtime/<rid>/: the .NET 10 runtime must be installed where it runs; ONNX Runtime's native
# library for that platform comes from the NuGet package and lands in the folder. Everything else a deployment needs
# is a model folder (encoder.onnx, decoder.onnx).
# Usage: scripts/publish-runtime.sh [RID ...]   (default: linux-x64 linux-arm64 win-x64 osx-arm64)
#        ONNXRUNTIME_FLAVOR=Gpu scripts/publish-runtime.sh linux-x64   (the CUDA 13 build of ONNX Runtime)
set -euo pipefail
cd "$(dirname "$0")/.."

rids=("$@")
[ ${#rids[@]} -gt 0 ] || rids=(linux-x64 linux-arm64 win-x64 osx-arm64)
flavor=${ONNXRUNTIME_FLAVOR:-Cpu}
for rid in "${rids[@]}"; do
  out="out/runtime/$rid"
  [ "$flavor" = Cpu ] || out="out/runtime/$rid-$(echo "$flavor" | tr '[:upper:]' '[:lower:]')"
  echo "publish-runtime: $rid ($flavor ONNX Runtime) -> $out"
  dotnet publish runtime/Host -c Release -r "$rid" --self-contained false -p:OnnxRuntimeFlavor="$flavor" -o "$out" -nologo -v quiet
  native=$(find "$out" -maxdepth 1 \( -name 'libonnxruntime*.so*' -o -name 'onnxruntime.dll' -o -name 'libonnxruntime*.dylib' \) | head -1)
  [ -n "$native" ] || { echo "publish-runtime: $out has no ONNX Runtime native library; the package lacks $rid?" >&2; exit 1; }
  echo "publish-runtime: $out holds $(basename "$native")"
done
