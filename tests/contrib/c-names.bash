# Sourced by the contrib checks, from the top of the tree.
# c_names FILE [ARRAY]: the names the rule language has in FILE, in their order: those of its
# table of names ([X] = "name", one or several a line), or the .name of each entry of ARRAY
c_names() {
	if [ $# -eq 1 ]; then
		grep -o '\] = "[a-z0-9_]*"' "$1" | sed 's/.*"\(.*\)"/\1/'
	else
		awk -v array="$2" '
			index($0, " " array "[") && /^const struct/ { inside = 1 }
			inside && /^};/ { inside = 0 }
			inside && match($0, /\.name = "[a-z0-9_]*"/) {
				name = substr($0, RSTART, RLENGTH)
				gsub(/^\.name = "|"$/, "", name)
				print name
			}' "$1"
	fi
}
