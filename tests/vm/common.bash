# shellcheck shell=bash disable=SC2034
# Shared by the host-side VM scripts (fetch-kernel, mkinitramfs, run-tests, shell). Bash.

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$VM_DIR/../.." && pwd)
BUILD=$ROOT/build
OUT=$BUILD/vm
KERNELS_FILE=${VM_KERNELS:-$VM_DIR/kernels}	# VM_KERNELS: another list, e.g. for a one-off run

die() {
	printf '%s: %s\n' "${0##*/}" "$*" >&2
	exit 1
}

note() {
	printf '%s: %s\n' "${0##*/}" "$*" >&2
}

# Prints the active lines of the kernels file without comments, one kernel a line.
kernel_lines() {
	[ -r "$KERNELS_FILE" ] || die "cannot read $KERNELS_FILE"
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^[[:space:]]*$/d' "$KERNELS_FILE"
}

kernel_names() {
	kernel_lines | awk '{ print $1 }'
}

# kernel_line NAME: the line of kernel NAME (NAME SUITE PACKAGE [EXTRA...]); dies if there is none.
kernel_line() {
	local line
	line=$(kernel_lines | awk -v n="$1" '$1 == n')
	[ -n "$line" ] || die "no kernel named '$1' in $KERNELS_FILE (known: $(kernel_names | tr '\n' ' '))"
	printf '%s\n' "$line"
}
