#!/usr/bin/env bash
# Copy GraphiQL, React and the graphql-ws client from node_modules into static/vendor.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p static/vendor
cp node_modules/react/umd/react.production.min.js static/vendor/
cp node_modules/react-dom/umd/react-dom.production.min.js static/vendor/
cp node_modules/graphiql/graphiql.min.js node_modules/graphiql/graphiql.min.css static/vendor/
cp node_modules/graphql-ws/umd/graphql-ws.min.js static/vendor/
