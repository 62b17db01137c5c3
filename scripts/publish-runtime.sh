#!/usr/bin/env bash
# Publishes the runtime host (vaeonnx-runtime: CLI and `serve`), RID-specific, one folder per platform:
#   framework-dependent (the default): out/runtime/<rid>/; the ASP.NET Core 10 runtime must be installed where it runs.
#   --self-contained: out/runtime/<rid>-self-contained/; the .NET and ASP.NET Core runtimes travel in the folder, so
#     the target needs no .NET at all (Linux: glibc, libstdc++ and zlib, as in Microsoft's runtime-deps images).
# ONNX Runtime's native library for that platform comes from the NuGet package and lands in the folder. Everything
# else a deployment needs is a model folder (encoder.onnx, decoder.onnx).
# Usage: scripts/publish-runtime.sh [--self-contained] [--out DIR] [RID ...]   (default RIDs: linux-x64 linux-arm64 win-x64 osx-arm64)
#        ONNXRUNTIME_FLAVOR=Gpu scripts/publish-runtime.sh linux-x64   (the CUDA 13 build of ONNX Runtime)
# --out DIR puts the (single) RID's output in DIR instead.
set -euo pipefail
cd "$(dirname "$0")/.."

self_contained=false
out_dir=""
rids=()
while [ $# -gt 0 ]; do
  case "$1" in
    --self-contained) self_contained=true ;;
    --out) [ $# -ge 2 ] || { echo "publish-runtime: --out needs a folder" >&2; exit 2; }; out_dir=$2; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "publish-runtime: unknown option '$1'; see --help" >&2; exit 2 ;;
    *) rids+=("$1") ;;
  esac
  shift
done
[ ${#rids[@]} -gt 0 ] || rids=(linux-x64 linux-arm64 win-x64 osx-arm64)
if [ -n "$out_dir" ] && [ ${#rids[@]} -ne 1 ]; then
  echo "publish-runtime: --out takes one RID; ${#rids[@]} were given (${rids[*]})" >&2; exit 2
fi
flavor=${ONNXRUNTIME_FLAVOR:-Cpu}
for rid in "${rids[@]}"; do
  out="out/runtime/$rid"
  [ "$flavor" = Cpu ] || out="$out-$(echo "$flavor" | tr '[:upper:]' '[:lower:]')"
  [ "$self_contained" = false ] || out="$out-self-contained"
  [ -z "$out_dir" ] || out=$out_dir
  kind=$([ "$self_contained" = true ] && echo self-contained || echo framework-dependent)
  echo "publish-runtime: $rid, $kind ($flavor ONNX Runtime) -> $out"
  dotnet publish runtime/Host -c Release -r "$rid" --self-contained "$self_contained" -p:OnnxRuntimeFlavor="$flavor" -o "$out" -nologo -v quiet
  native=$(find "$out" -maxdepth 1 \( -name 'libonnxruntime*.so*' -o -name 'onnxruntime.dll' -o -name 'libonnxruntime*.dylib' \) | head -1)
  [ -n "$native" ] || { echo "publish-runtime: $out has no ONNX Runtime native library; the package lacks $rid?" >&2; exit 1; }
  if [ "$self_contained" = true ] && ! ls "$out" | grep -qiE '^(libcoreclr\.(so|dylib)|coreclr\.dll)$'; then
    echo "publish-runtime: $out has no .NET runtime (coreclr); the self-contained publish failed" >&2; exit 1
  fi
  echo "publish-runtime: $out holds $(basename "$native") ($(du -sh "$out" | cut -f1) in all)"
done
