#!/bin/sh
# Rebuilds ../echarts.custom.min.js from the npm package echarts@6.1.0 (unchanged ECharts code, tree-shaken
# to what entry.js lists). Needs node + npm; works in a scratch folder, writes only the bundle.
#   sh hongniang/static/vendor/echarts/build/build.sh
set -eu
ECHARTS_VERSION=6.1.0
ESBUILD_VERSION=0.28.2
HERE=$(cd "$(dirname "$0")" && pwd)
OUT="$HERE/../echarts.custom.min.js"
WORK=${ECHARTS_BUILD_DIR:-/tmp/echarts-build}
mkdir -p "$WORK"
cp "$HERE/entry.js" "$WORK/entry.js"
cd "$WORK"
[ -f package.json ] || npm init -y >/dev/null
npm install --no-audit --no-fund --save-exact "echarts@$ECHARTS_VERSION" "esbuild@$ESBUILD_VERSION" >/dev/null
# the Apache licence header of ECharts' own dist files, then the bundle
sed -n '1,/^\*\/$/p' node_modules/echarts/dist/echarts.min.js > header.js
npx esbuild entry.js --bundle --minify --format=iife --global-name=echarts --target=es2015 \
  --legal-comments=none --log-level=warning --outfile=bundle.js
cat header.js bundle.js > "$OUT"
wc -c "$OUT"
