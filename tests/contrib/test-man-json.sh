#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The JSON examples of man/endura-json.5: every block between ".\" example-json-begin" and
# ".\" example-json-end" is a complete document that `endurctl -j -c -f -` accepts, once the roff
# escapes are undone. A block marked ".\" example-json-begin DIR" must also be what
# `endurctl -c -e --output json -f DIR` prints, laid out differently, and every block must
# validate against contrib/endura-policy.schema.json (where python3-jsonschema is installed).
# Run from anywhere; the first argument is the endurctl to use (default build/endurctl).
# Prints "N passed, N failed"; exits non-zero on a failure.
set -u
cd "$(dirname "$0")/../.." || exit 1
endurctl=${1:-build/endurctl}
page=man/endura-json.5
passed=0 failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [ ! -s "${2:-/dev/null}" ] || sed 's/^/  /' "$2"; }

if [ ! -x "$endurctl" ]; then
	echo "man-json: $endurctl is not built (make build/endurctl)"
	echo "man-json: 0 passed, 1 failed"
	exit 1
fi

# Each block to example-N.json, its source directory (if any) to example-N.source.
awk -v out="$tmp/example" '
	/^\.\\" example-json-begin/ {
		n++; f = out "-" n ".json"; printf "" > f
		if (NF > 2) print $3 > (out "-" n ".source")
		next
	}
	/^\.\\" example-json-end/ { f = ""; next }
	f != "" {
		gsub(/\\-/, "-"); gsub(/\\\(dq/, "\""); gsub(/\\\(aq/, "\047"); gsub(/\\&/, "")
		gsub(/\\e/, "\\")
		print > f
	}' "$page"

count=0
for example in "$tmp"/example-*.json; do
	[ -e "$example" ] || continue
	count=$((count + 1))
	name=$(basename "$example" .json)
	line=$(awk -v n="${name#example-}" '/^\.\\" example-json-begin/ && ++i == n { print NR + 1 }' "$page")
	if "$endurctl" -j -c -f - <"$example" >"$tmp/out" 2>&1; then
		pass
	else
		fail "$page:$line: the example does not check" "$tmp/out"
	fi
	if [ -f "$tmp/$name.source" ]; then
		source=$(cat "$tmp/$name.source")
		"$endurctl" -c -e --output json -f "$source" >"$tmp/expected" 2>"$tmp/err"
		# the same document: compared as JSON, whatever the layout
		if command -v jq >/dev/null; then
			jq -S . "$tmp/expected" >"$tmp/expected.n" 2>/dev/null
			jq -S . "$example" >"$tmp/example.n" 2>/dev/null
		else
			python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1])), sort_keys=True, indent=1))' \
				"$tmp/expected" >"$tmp/expected.n" 2>/dev/null
			python3 -c 'import json, sys; print(json.dumps(json.load(open(sys.argv[1])), sort_keys=True, indent=1))' \
				"$example" >"$tmp/example.n" 2>/dev/null
		fi
		if [ -s "$tmp/expected.n" ] && cmp -s "$tmp/expected.n" "$tmp/example.n"; then
			pass
		else
			diff -u "$tmp/example.n" "$tmp/expected.n" >"$tmp/diff"
			cat "$tmp/err" >>"$tmp/diff"
			fail "$page:$line: the example is not what endurctl -c -e --output json -f $source prints" "$tmp/diff"
		fi
	fi
done
if [ "$count" -eq 0 ]; then
	fail "$page: no example-json blocks found"
fi

# The page and the shipped schema describe the same form: every example validates.
if [ "$count" -gt 0 ] && /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
	if tests/golden/check-schema contrib/endura-policy.schema.json "$tmp"/example-*.json >"$tmp/out" 2>&1; then
		pass
	else
		fail "$page: examples that contrib/endura-policy.schema.json rejects" "$tmp/out"
	fi
else
	echo "man-json: python3-jsonschema is not installed: the examples are not checked against the schema"
fi

echo "man-json: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
